package dev.udriver.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.internal.WatchdogThreads;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.Simulation;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The watchdog thread of a device's dispatchers (the simulation's group here, a device's own
 * dispatcher where said), with short thresholds: hung callbacks and stops reported.
 */
class WatchdogTest {

  private static final Duration SHORT = Duration.ofMillis(50);

  /** An ISR that blocks until released: a named method, so that its frame can be looked for. */
  static final class HangingIsr {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    boolean hangOnce(Interrupt interrupt, int messageId) {
      if (entered.getCount() > 0) {
        entered.countDown();
        TestSupport.awaitQuietly(release);
      }
      return true;
    }
  }

  @Test
  void aHungIsrIsReportedByTheWatchdogThreadAndAStopWaitingForItSaysSo() throws Exception {
    HangingIsr isr = new HangingIsr();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.threaded();
        DeviceNode device =
            sim.deviceBuilder(TestSupport.uniqueName("hang"), hardware)
                .watchdog(SHORT, SHORT, SHORT)
                .build()) {
      device.addDriver(new Object(), TestSupport.wiring(InterruptConfig.builder("rx", isr::hangOnce).build()));
      device.start();
      Interrupt rx = device.getInterrupts().getFirst();
      hardware.interrupt("rx").fire();
      TestSupport.await(isr.entered);
      TestSupport.await("the hung ISR reported", () -> !sim.hungCallbacks().isEmpty());
      HungCallback hung = sim.hungCallbacks().getFirst();
      assertEquals(rx, hung.interrupt());
      assertEquals("OnInterruptIsr", hung.callback());
      assertTrue(hung.runningFor().compareTo(SHORT) >= 0, hung.toString());
      assertEquals(DeviceNode.dispatcherThreadOf(rx), hung.thread());
      assertTrue(
          Arrays.stream(hung.stack().getStackTrace())
              .anyMatch(f -> f.getClassName().equals(HangingIsr.class.getName())
                  && f.getMethodName().equals("hangOnce")),
          () -> Arrays.toString(hung.stack().getStackTrace()));

      Thread stopper = Thread.ofPlatform().name("stopper").start(device::stop);
      TestSupport.await(
          "the stop's wait reported",
          () -> sim.warnings().stream().anyMatch(w -> w.contains("has waited")));
      List<String> waits = sim.warnings().stream().filter(w -> w.contains("has waited")).toList();
      assertEquals(1, waits.size(), waits.toString());
      assertTrue(waits.getFirst().contains("thread stopper"), waits.getFirst());
      assertTrue(waits.getFirst().contains("interrupt " + rx), waits.getFirst());
      assertTrue(waits.getFirst().contains("OnInterruptIsr"), waits.getFirst());
      isr.release.countDown();
      TestSupport.join(stopper);
      assertEquals(1, sim.hungCallbacks().size(), sim.hungCallbacks().toString());
    }
  }

  @Test
  void callbacksThatReturnAreNeverReported() {
    // Far above any call here, so that a pause of the machine (a collection, a busy neighbour)
    // is not taken for a hang; the checks still meet calls under way, every 250 ms.
    Duration threshold = Duration.ofSeconds(2);
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.threaded();
        DeviceNode device =
            sim.deviceBuilder(TestSupport.uniqueName("quick"), hardware)
                .watchdog(threshold, threshold, threshold)
                .build()) {
      device.addDriver(
          new Object(),
          TestSupport.wiring(
              InterruptConfig.builder("rx", TestSupport.queueWorkItem())
                  .workItem((interrupt, associated) -> {})
                  .enable((interrupt, associated) -> {})
                  .disable((interrupt, associated) -> {})
                  .build()));
      device.start();
      Interrupt rx = device.getInterrupts().getFirst();
      // Interrupts for several watchdog periods (250 ms each), so that checks meet calls under way.
      long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(750);
      long fired = 0;
      while (System.nanoTime() < end) {
        hardware.interrupt("rx").fire();
        fired++;
      }
      long raised = fired;
      TestSupport.await("every signal served", () -> rx.getStatistics().signals() == raised);
      device.stop();
      assertEquals(List.of(), sim.hungCallbacks());
      assertEquals(List.of(), sim.warnings().stream().filter(w -> w.contains("has waited")).toList());
      assertTrue(rx.getStatistics().isrCalls() > 0);
    }
  }

  @Test
  void closingTheDeviceEndsItsWatchdogThread() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    String name = TestSupport.uniqueName("wdclose");
    try (Simulation sim = Simulation.threaded()) {
      DeviceNode device = sim.deviceBuilder(name, hardware).watchdog(SHORT, SHORT, SHORT).build();
      device.addDriver(new Object(), TestSupport.wiring(InterruptConfig.builder("rx", TestSupport.claim()).build()));
      String watchdog = WatchdogThreads.nameFor(device.getInterrupts().getFirst());
      device.start();
      assertEquals(1, TestSupport.liveThreadsNamed(watchdog).size());
      device.close(); // the only device of the simulation's group: its watchdog thread ends
      assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog));
    }
  }
  @Test
  void aListenerMayCloseTheDeviceFromItsHungCallbackReport() throws Exception {
    HangingIsr isr = new HangingIsr();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    String name = TestSupport.uniqueName("wdself");
    CountDownLatch closed = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicReference<Thread> reporter = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<DeviceNode> self = new java.util.concurrent.atomic.AtomicReference<>();
    DeviceListener closing =
        new DeviceListener() {
          @Override
          public void callbackHung(HungCallback hung) {
            reporter.set(Thread.currentThread());
            isr.release.countDown();
            self.get().close(); // on the watchdog thread: stops its own watchdog
            closed.countDown();
          }

          @Override
          public void warning(String message) {}
        };
    try (Simulation sim = Simulation.threaded()) {
      DeviceNode device =
          sim.deviceBuilder(name, hardware).listener(closing).watchdog(SHORT, SHORT, SHORT).build();
      self.set(device);
      device.addDriver(new Object(), TestSupport.wiring(InterruptConfig.builder("rx", isr::hangOnce).build()));
      String watchdog = WatchdogThreads.nameFor(device.getInterrupts().getFirst());
      device.start();
      hardware.interrupt("rx").fire();
      TestSupport.await(isr.entered);
      TestSupport.await(closed);
      assertEquals(watchdog, reporter.get().getName());
      TestSupport.join(reporter.get());
      assertEquals(false, device.isStarted());
      assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog));
    }
  }
  @Test
  void deterministicSimulationsRunWithoutAWatchdogUnlessTheDeviceAsks() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    String quiet = TestSupport.uniqueName("wddet");
    String asked = TestSupport.uniqueName("wddetasked");
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.deviceBuilder(quiet, hardware).build();
      device.addDriver(new Object(), TestSupport.wiring(InterruptConfig.builder("rx", TestSupport.claim()).build()));
      device.start();
      // A breakpoint in an ISR on the test's thread must not fail assertClean() as a hung callback.
      String watchdog = WatchdogThreads.nameFor(device.getInterrupts().getFirst());
      assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog));
      DeviceNode watched = sim.deviceBuilder(asked, SimulatedHardware.builder().edge("rx").build())
          .watchdog(SHORT, SHORT, SHORT)
          .build();
      watched.addDriver(new Object(), TestSupport.wiring(InterruptConfig.builder("rx", TestSupport.claim()).build()));
      assertEquals(watchdog, WatchdogThreads.nameFor(watched.getInterrupts().getFirst()));
      watched.start();
      assertEquals(1, TestSupport.liveThreadsNamed(watchdog).size());
      watched.close();
      assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog));
      device.close();
    }
  }
  @Test
  void theWatchdogThreadRunsOnlyWhileTheDeviceIsStarted() {
    HangingIsr isr = new HangingIsr();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    String name = TestSupport.uniqueName("wdd0");
    try (Simulation sim = Simulation.threaded()) {
      DeviceNode device = sim.deviceBuilder(name, hardware).watchdog(SHORT, SHORT, SHORT).build();
      device.addDriver(new Object(), TestSupport.wiring(InterruptConfig.builder("rx", isr::hangOnce).build()));
      String watchdog = WatchdogThreads.nameFor(device.getInterrupts().getFirst());
      device.start();
      List<Thread> first = TestSupport.liveThreadsNamed(watchdog);
      assertEquals(1, first.size());
      device.stop();
      TestSupport.join(first.getFirst()); // out of D0: no thread waking every period
      assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog));

      device.start(); // back in D0: watched again
      assertEquals(1, TestSupport.liveThreadsNamed(watchdog).size());
      hardware.interrupt("rx").fire();
      TestSupport.await(isr.entered);
      TestSupport.await("the hung ISR reported", () -> !sim.hungCallbacks().isEmpty());
      isr.release.countDown();
      device.close();
      assertEquals(List.of(), TestSupport.liveThreadsNamed(watchdog));
    }
  }

  /**
   * A start whose prepare-hardware step fails (the host refuses the interrupt resources) leaves the
   * device out of D0: no watchdog thread is left waking every period, and what was assigned before
   * the failure is given back, as a start failing in an enable callback does.
   */
  @Test
  void aStartFailingToPrepareHardwareLeavesNoWatchdogThread() { // a device with its own dispatcher
    String name = TestSupport.uniqueName("wdprep");
    AtomicInteger releases = new AtomicInteger();
    IllegalStateException refused = new IllegalStateException("VFIO_DEVICE_SET_IRQS failed");
    DeviceHardware refusing =
        new DeviceHardware() {
          @Override
          public Set<String> interruptNames() {
            return Set.of("rx", "tx");
          }

          @Override
          public int requestedInterrupts(String interrupt) {
            return 1;
          }

          @Override
          public List<GrantedInterrupt> assignInterrupts(String interrupt) {
            if (interrupt.equals("tx")) {
              throw refused;
            }
            return List.of();
          }

          @Override
          public void releaseInterrupts() {
            releases.incrementAndGet();
          }
        };
    DeviceNode device = DeviceNode.builder(name, refusing).watchdog(SHORT, SHORT, SHORT).build();
    device.addDriver(
        new Object(),
        TestSupport.wiring(
            InterruptConfig.builder("rx", TestSupport.claim()).build(),
            InterruptConfig.builder("tx", TestSupport.claim()).build()));
    try {
      RuntimeException failure = assertThrows(RuntimeException.class, device::start);
      assertSame(refused, failure);
      assertFalse(device.isStarted());
      TestSupport.await(
          "the watchdog thread of the failed start ends",
          () -> TestSupport.liveThreadsNamed("udriver-watchdog-" + name).isEmpty());
      assertEquals(1, releases.get(), "the resources assigned before the failure are released");
    } finally {
      device.close();
    }
  }
}
