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

  /** What signalsInThisCall() returned in each ISR call, and in each work-item run. */
  private final List<Long> seen = new CopyOnWriteArrayList<>();
  private final List<Long> seenByWorkItem = new CopyOnWriteArrayList<>();
  private final SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();
  private final CountDownLatch entered = new CountDownLatch(1);
  private final CountDownLatch release = new CountDownLatch(1);

  /** A started device whose ISR and work item record what signalsInThisCall() returns. */
  private DeviceNode recordingDevice(Simulation sim) {
    DeviceNode device = sim.device("dev", hardware);
    device.addDriver(
        new Object(),
        TestSupport.wiring(
            InterruptConfig.builder(
                    "rx",
                    (interrupt, id) -> {
                      seen.add(interrupt.signalsInThisCall());
                      interrupt.queueWorkItemForIsr();
                      return true;
                    })
                .workItem((interrupt, associated) -> seenByWorkItem.add(interrupt.signalsInThisCall()))
                .build()));
    device.start();
    return device;
  }

  @Test
  void oneCallServesEverySignalThatCoalescedWhileItWasPending() {
    try (Simulation sim = Simulation.deterministic()) {
      DeviceNode device = recordingDevice(sim);
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
    try (Simulation sim = Simulation.deterministic()) {
      Interrupt rx = recordingDevice(sim).getInterrupts().getFirst();
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
      // The processor reports the same misuse at compile time under the same id.
      assertEquals("SIGNALS_IN_CALL_ONLY_FROM_ISR", sim.findings().getFirst().rule());
    }
  }

  @Test
  void signalsRaisedWhileTheIsrRunsReachTheNextCallTogether() {
    try (Simulation sim = Simulation.threaded()) {
      DeviceNode device = sim.device("dev", hardware);
      device.addDriver(new Object(), TestSupport.wiring(blockingFirstCall()));
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
    TestSupport.RecordingListener listener = new TestSupport.RecordingListener();
    try (EventFdHardware eventfds = EventFdHardware.builder().message("rx").build();
        DeviceNode device =
            DeviceNode.builder(TestSupport.uniqueName("efd"), eventfds)
                .listener(listener)
                .verifier(true)
                .build()) {
      device.addDriver(new Object(), TestSupport.wiring(blockingFirstCall()));
      device.start();
      eventfds.signal("rx", 0);
      TestSupport.await(entered);
      eventfds.signal("rx", 0);
      eventfds.source("rx", 0).signal(6); // the counter sums to 7 before the dispatcher reads it
      release.countDown();
      TestSupport.await("both calls", () -> seen.size() == 2);
      assertEquals(List.of(1L, 7L), seen);
      assertEquals(List.of(), listener.failures);
    }
  }

  /** An ISR whose first call waits for {@link #release}, so that signals pile up behind it. */
  private InterruptConfig blockingFirstCall() {
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
