package dev.udriver.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** A driver compiled through the processor, bound to simulated hardware, driven end to end. */
class EndToEndTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void generatedWiringIsFoundForTheDriver() {
    DriverWiring<MessageQueuesDriver> wiring =
        DriverWiring.forDriverClass(MessageQueuesDriver.class);
    assertEquals(MessageQueuesDriver.class, wiring.driverType());
    assertEquals("dev.udriver.samples.MessageQueuesDriver_Wiring", wiring.getClass().getName());
    assertEquals(1, wiring.interruptConfigs(new MessageQueuesDriver()).size());
  }

  @Test
  void msiMessagesReachTheIsrWithTheirIdsUnderTheLock() throws Exception {
    SimulatedHardware hardware = SimulatedHardware.builder().msi("queues", 3).build();
    MessageQueuesDriver driver = new MessageQueuesDriver();
    try (DeviceNode device = DeviceNode.create("nic0", hardware)) {
      device.addDriver(driver);
      List<Interrupt> interrupts = device.getInterrupts("queues");
      assertEquals(3, interrupts.size());
      device.start();
      assertEquals(List.of("enable#0", "enable#1", "enable#2"), driver.lifecycle);

      hardware.interrupt("queues").fire(2);
      awaitTrue(() -> interrupts.get(2).getStatistics().workItemsRun() == 1);
      hardware.interrupt("queues").fire(0);
      awaitTrue(() -> interrupts.get(0).getStatistics().workItemsRun() == 1);

      assertEquals(List.of(2, 0), driver.isrMessageIds);
      assertEquals(List.of(true, true), driver.lockHeldInIsr);
      assertEquals(List.of(true, true), driver.queuedByIsr);
      assertEquals(List.of(true, true), driver.lockFreeInWorkItem);
      assertSame(device, driver.workItemDevices.get(0));
      InterruptStatistics second = interrupts.get(2).getStatistics();
      assertEquals(1, second.isrCalls());
      assertEquals(1, second.claimed());
      assertEquals(0, interrupts.get(1).getStatistics().isrCalls());

      device.stop();
      assertEquals(
          List.of("enable#0", "enable#1", "enable#2", "disable#2", "disable#1", "disable#0"),
          driver.lifecycle);
    }
  }

  @Test
  void workItemRequestsCoalesceWhileOneIsQueued() throws Exception {
    SimulatedHardware hardware = SimulatedHardware.builder().msi("queues", 1).build();
    MessageQueuesDriver driver = new MessageQueuesDriver();
    driver.workItemGate = new CountDownLatch(1);
    try (DeviceNode device = DeviceNode.create("nic0", hardware)) {
      device.addDriver(driver);
      Interrupt queue = device.getInterrupts().getFirst();
      device.start();

      hardware.interrupt("queues").fire();
      assertTrue(driver.workItemStarted.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
      // The work item runs and waits on its gate. The next ISR queues one more run (true); every
      // ISR after it finds that run queued and not started (false).
      for (int i = 0; i < 4; i++) {
        hardware.interrupt("queues").fire();
        int expectedCalls = i + 2;
        awaitTrue(() -> queue.getStatistics().isrCalls() == expectedCalls);
      }
      driver.workItemGate.countDown();
      awaitTrue(() -> queue.getStatistics().workItemsRun() == 2);

      assertEquals(List.of(true, true, false, false, false), driver.queuedByIsr);
      InterruptStatistics statistics = queue.getStatistics();
      assertEquals(5, statistics.signals());
      assertEquals(5, statistics.isrCalls());
      assertEquals(5, statistics.claimed());
      assertEquals(2, statistics.workItemsQueued());
      assertEquals(3, statistics.workItemsCoalesced());
      assertEquals(2, statistics.workItemsRun());
    }
  }

  @Test
  void uartDemoReceivesEveryByteIntact() throws Exception {
    Demo.Summary summary = new Demo(500, 8, new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).run();
    assertTrue(summary.intact(), summary::toString);
    InterruptStatistics statistics = summary.statistics();
    assertEquals(4_000, summary.bytesReceived());
    assertEquals(4_000, statistics.signals());
    assertEquals(
        statistics.signals(),
        statistics.isrCalls() + statistics.coalesced() + statistics.dropped());
    assertEquals(statistics.isrCalls(), statistics.claimed() + statistics.unclaimed());
    assertEquals(statistics.workItemsQueued(), statistics.workItemsRun());
    assertTrue(statistics.workItemsRun() <= statistics.isrCalls());
    // Every ISR call over the budget is counted; the verifier reported the first and each 2^k-th.
    long overBudget = summary.isrOverBudget();
    assertEquals(
        overBudget == 0 ? 0 : 64 - Long.numberOfLeadingZeros(overBudget),
        summary.isrOverBudgetReported(),
        summary::toString);
  }

  private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + TIMEOUT);
      }
      Thread.sleep(1);
    }
  }
}
