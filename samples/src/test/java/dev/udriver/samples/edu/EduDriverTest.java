package dev.udriver.samples.edu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.linux.EventFdHardware;
import dev.udriver.runtime.linux.LinuxInterrupts;
import dev.udriver.runtime.linux.UioStandIn;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The edu driver on a model of the device's registers, without the VM: a level line through the
 * UIO stand-in (the UIO source and its re-arm) and an MSI-style message through an eventfd, with
 * exact counts across stop/start cycles. The VM test runs the same driver on the real device.
 */
class EduDriverTest {

  private static final int CYCLES = 3;
  private static final int RAISES = 300;
  private static final int FACTORIALS = 60;

  @BeforeEach
  void linuxOnly() {
    assumeTrue(LinuxInterrupts.isAvailable(), () -> "no Linux: " + LinuxInterrupts.unavailabilityCause());
  }

  @Test
  void levelLineThroughUioClaimsEveryRaiseAndFactorialAcrossCycles() throws Exception {
    AtomicReference<UioStandIn> line = new AtomicReference<>();
    try (UioStandIn uio = UioStandIn.create(4096);
        EduModel model = new EduModel(() -> line.get().raise());
        DeviceNode device = DeviceNode.create("edu-uio-model", uio.hardware())) {
      line.set(uio);
      exercise(device, model, uio::controlWrites);
    }
  }

  @Test
  void messageThroughEventFdClaimsEveryRaiseAndFactorialAcrossCycles() throws Exception {
    AtomicReference<EventFdHardware> msi = new AtomicReference<>();
    try (EventFdHardware hardware = EventFdHardware.builder().messages("irq", 1).build();
        EduModel model = new EduModel(() -> msi.get().signal("irq", 0));
        DeviceNode device = DeviceNode.create("edu-msi-model", hardware)) {
      msi.set(hardware);
      exercise(device, model, () -> { });
    }
  }

  /**
   * The future's value. The UIO stand-in's device side runs on the calling thread: {@code pump}
   * takes the runtime's re-arm writes (a raise waiting behind a masked line then fires).
   */
  private static <T> T await(CompletableFuture<T> future, Runnable pump) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      try {
        return future.get(200, TimeUnit.MICROSECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        pump.run();
      }
    }
  }

  private static void exercise(DeviceNode device, EduModel model, Runnable pump) throws Exception {
    EduDriver driver = new EduDriver(model);
    device.addDriver(driver);
    for (int cycle = 0; cycle < CYCLES; cycle++) {
      device.start();
      for (int i = 0; i < RAISES; i++) {
        int value = 0x0001_0000 | ((cycle * RAISES + i) << 16);
        EduDriver.Claim claim = await(driver.raise(value), pump);
        assertEquals(value, claim.status(), "claimed status");
      }
      for (int i = 0; i < FACTORIALS; i++) {
        int n = i % 21;
        assertEquals(EduMain.factorial(n), await(driver.factorial(n), pump), n + "!");
      }
      List<CompletableFuture<Integer>> batch = new ArrayList<>();
      for (int n = 0; n <= 20; n++) {
        batch.add(driver.factorial(n));
      }
      for (int n = 0; n <= 20; n++) {
        assertEquals(EduMain.factorial(n), await(batch.get(n), pump), "queued " + n + "!");
      }
      device.stop();
    }
    long perCycle = RAISES + FACTORIALS + 21;
    assertEquals(CYCLES * perCycle, model.interrupts(), "interrupts the model raised");
    assertEquals(CYCLES * perCycle, driver.claimed(), "ISR claims");
    assertEquals(0, driver.unclaimed(), "ISR calls without status");
    assertEquals(0, driver.unexpected(), "completions no request waited for");
    assertEquals(CYCLES * RAISES, driver.raisesCompleted());
    assertEquals(CYCLES * (FACTORIALS + 21), driver.factorialsCompleted());
    Interrupt interrupt = device.getInterrupts().getFirst();
    InterruptStatistics s = interrupt.getStatistics();
    assertEquals(s.signals(), s.isrCalls() + s.coalesced() + s.dropped(), s.toString());
    assertEquals(driver.claimed(), s.claimed(), s.toString());
    assertEquals(0, s.callbackFailures(), s.toString());
  }

  @Test
  void oneRaiseInFlightAndOnlyFreeBits() throws Exception {
    try (EduModel model = new EduModel(() -> { })) {
      EduDriver driver = new EduDriver(model);
      assertThrows(IllegalArgumentException.class, () -> driver.raise(0));
      assertThrows(IllegalArgumentException.class, () -> driver.raise(EduDriver.IRQ_FACTORIAL));
      assertThrows(IllegalArgumentException.class, () -> driver.raise(EduDriver.IRQ_DMA | 0x10000));
      CompletableFuture<EduDriver.Claim> first = driver.raise(0x10000);
      assertThrows(IllegalStateException.class, () -> driver.raise(0x20000));
      first.cancel(false); // given up: the next raise may go
      driver.raise(0x20000);
    }
  }

  @Test
  void factorialsWaitUntilTheInterruptIsEnabledAndStaleStatusIsDropped() throws Exception {
    try (UioStandIn uio = UioStandIn.create(4096);
        EduModel model = new EduModel(uio::raise);
        DeviceNode device = DeviceNode.create("edu-stale", uio.hardware())) {
      model.leavePending(0x40000);
      EduDriver driver = new EduDriver(model);
      device.addDriver(driver);
      CompletableFuture<Integer> early = driver.factorial(5);
      assertEquals(1, driver.factorialsOutstanding(), "queued, not started while stopped");
      device.start();
      assertEquals(120, await(early, uio::controlWrites));
      assertEquals(0, model.read32(EduDriver.IRQ_STATUS), "stale status acknowledged");
      device.stop();
      assertEquals(0, driver.unexpected());
    }
  }
}
