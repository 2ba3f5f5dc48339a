package dev.udriver.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.udriver.runtime.linux.EventFdHardware;
import dev.udriver.runtime.linux.LinuxInterrupts;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.Simulation;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** {@link Interrupt#signalsInThisCall()}: what each ISR call serves, and 0 anywhere else. */
class SignalsInThisCallTest {

  /** An ISR that records what its call serves and queues the work item. */
  private static InterruptConfig recording(List<Long> seen, List<Long> seenByWorkItem) {
    return InterruptConfig.builder(
            "rx",
            (interrupt, id) -> {
              seen.add(interrupt.signalsInThisCall());
              interrupt.queueWorkItemForIsr();
              return true;
            })
        .workItem((interrupt, device) -> seenByWorkItem.add(interrupt.signalsInThisCall()))
        .build();
  }

  @Test
  void oneCallServesEverySignalThatCoalescedWhileItWasPending() {
    List<Long> seen = new CopyOnWriteArrayList<>();
    List<Long> seenByWorkItem = new CopyOnWriteArrayList<>();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(new Object(), TestSupport.wiring(recording(seen, seenByWorkItem)));
      device.start();
      for (int i = 0; i < 5; i++) {
        hardware.interrupt("rx").fire();
      }
      sim.runPendingIsrs();
      hardware.interrupt("rx").fire();
      sim.runPendingIsrs();
      hardware.interrupt("rx").fire(0, 3); // a timerfd read of three expirations, say
      hardware.interrupt("rx").fire();
      sim.runPendingIsrs();
      assertEquals(List.of(5L, 1L, 4L), seen);
      InterruptStatistics stats = device.getInterrupts().getFirst().getStatistics();
      assertEquals(stats.signals(), seen.stream().mapToLong(Long::longValue).sum());
      assertEquals(stats.isrCalls(), seen.size());
      sim.assertClean();
    }
  }

  @Test
  void outsideTheIsrItIsZeroAndTheVerifierSaysWhere() {
    List<Long> seen = new CopyOnWriteArrayList<>();
    List<Long> seenByWorkItem = new CopyOnWriteArrayList<>();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(new Object(), TestSupport.wiring(recording(seen, seenByWorkItem)));
      device.start();
      Interrupt rx = device.getInterrupts().getFirst();
      hardware.interrupt("rx").fire();
      hardware.interrupt("rx").fire();
      sim.runPendingIsrs();
      sim.runWorkItems();
      assertEquals(List.of(2L), seen);
      assertEquals(List.of(0L), seenByWorkItem, "the work item serves no ISR call");
      assertEquals(0, rx.signalsInThisCall(), "nor does the test thread");
      List<String> where =
          sim.findings().stream()
              .map(f -> f.rule() + " in " + f.callback() + " of " + f.interrupt())
              .toList();
      assertEquals(
          List.of(
              VerifierFinding.SIGNALS_OUTSIDE_ISR + " in OnInterruptWorkItem of " + rx,
              VerifierFinding.SIGNALS_OUTSIDE_ISR + " in " + VerifierFinding.OUTSIDE_CALLBACKS + " of " + rx),
          where);
    }
  }

  @Test
  void signalsRaisedWhileTheIsrRunsReachTheNextCallTogether() {
    List<Long> seen = new CopyOnWriteArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
    try (Simulation sim = Simulation.threaded()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(new Object(), TestSupport.wiring(blockingFirstCall(seen, entered, release)));
      device.start();
      hardware.interrupt("rx").fire();
      TestSupport.await(entered);
      for (int i = 0; i < 4; i++) {
        hardware.interrupt("rx").fire();
      }
      release.countDown();
      TestSupport.await("both calls", () -> seen.size() == 2);
      assertEquals(List.of(1L, 4L), seen);
      sim.assertClean();
    }
  }

  @Test
  void anEventfdCallSeesTheCounterValueItRead() throws Exception {
    assumeTrue(LinuxInterrupts.isAvailable(), () -> "no Linux: " + LinuxInterrupts.unavailabilityCause());
    List<Long> seen = new CopyOnWriteArrayList<>();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    TestSupport.RecordingListener listener = new TestSupport.RecordingListener();
    try (EventFdHardware hardware = EventFdHardware.builder().message("rx").build();
        DeviceNode device =
            DeviceNode.builder(TestSupport.uniqueName("efd"), hardware)
                .listener(listener)
                .verifier(true)
                .build()) {
      device.addDriver(new Object(), TestSupport.wiring(blockingFirstCall(seen, entered, release)));
      device.start();
      hardware.signal("rx", 0);
      TestSupport.await(entered);
      hardware.signal("rx", 0);
      hardware.source("rx", 0).signal(6); // the counter sums to 7 before the dispatcher reads it
      release.countDown();
      TestSupport.await("both calls", () -> seen.size() == 2);
      assertEquals(List.of(1L, 7L), seen);
      assertEquals(List.of(), listener.failures);
    }
  }

  /** An ISR whose first call waits for {@code release}, so that signals pile up behind it. */
  private static InterruptConfig blockingFirstCall(
      List<Long> seen, CountDownLatch entered, CountDownLatch release) {
    return InterruptConfig.builder(
            "rx",
            (interrupt, id) -> {
              seen.add(interrupt.signalsInThisCall());
              if (entered.getCount() > 0) {
                entered.countDown();
                TestSupport.awaitQuietly(release);
              }
              return true;
            })
        .build();
  }
}
