package dev.udriver.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.Simulation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each verifier rule: what, which interrupt, which callback, a stack; counted per interrupt. */
class VerifierTest {

  private final Simulation sim = Simulation.deterministic();
  private final SimulatedHardware hardware = SimulatedHardware.builder().edge("rx").build();

  @AfterEach
  void close() {
    sim.close();
  }

  private DeviceNode device(InterruptConfig config) {
    DeviceNode device = sim.device(TestSupport.uniqueName("ver"), hardware);
    device.addDriver(new Object(), TestSupport.wiring(config));
    return device;
  }

  private VerifierFinding only(String rule) {
    List<VerifierFinding> matching = sim.findings().stream().filter(f -> f.rule().equals(rule)).toList();
    assertEquals(1, matching.size(), "findings: " + sim.findings());
    return matching.get(0);
  }

  @Test
  void workItemReturningWithTheLockHeldIsAFindingNamingTheCallback() {
    DeviceNode device =
        device(
            InterruptConfig.builder("rx", (i, id) -> i.queueWorkItemForIsr())
                .workItem((i, d) -> i.acquireInterruptLock())
                .build());
    device.start();
    hardware.interrupt("rx").fire();
    sim.runUntilIdle();
    VerifierFinding finding = only(VerifierFinding.LOCK_HELD_AFTER_CALLBACK);
    assertEquals("OnInterruptWorkItem", finding.callback());
    assertEquals(device.getInterrupts().get(0), finding.interrupt());
    assertTrue(finding.stack().getStackTrace().length > 0);
    assertEquals(1, device.getInterrupts().get(0).getStatistics().verifierFindings());
  }

  @Test
  void recursiveAcquireInTheIsrIsAFindingAndStillAViolation() {
    DeviceNode device =
        device(
            InterruptConfig.builder(
                    "rx",
                    (i, id) -> {
                      i.acquireInterruptLock(); // throws: the framework holds it
                      return true;
                    })
                .build());
    device.start();
    hardware.interrupt("rx").fire();
    sim.runPendingIsrs();
    VerifierFinding finding = only(VerifierFinding.LOCK_RECURSION);
    assertEquals("OnInterruptIsr", finding.callback());
    assertTrue(finding.stack() instanceof InterruptRuleViolation);
    assertEquals(1, sim.failures().size(), "the violation is also a contained ISR failure");
  }

  @Test
  void tryAcquireByTheHolderIsARecursionFindingAndReturnsFalse() {
    boolean[] got = {true};
    DeviceNode device =
        device(
            InterruptConfig.builder(
                    "rx",
                    (i, id) -> {
                      got[0] = i.tryToAcquireInterruptLock();
                      return true;
                    })
                .build());
    device.start();
    hardware.interrupt("rx").fire();
    sim.runPendingIsrs();
    assertFalse(got[0]);
    assertEquals("OnInterruptIsr", only(VerifierFinding.LOCK_RECURSION).callback());
  }

  @Test
  void releaseWithoutAcquireIsAFinding() {
    DeviceNode device = device(InterruptConfig.builder("rx", TestSupport.claim()).build());
    device.start();
    Interrupt rx = device.getInterrupts().get(0);
    assertThrows(InterruptRuleViolation.class, rx::releaseInterruptLock);
    VerifierFinding finding = only(VerifierFinding.RELEASE_WITHOUT_ACQUIRE);
    assertEquals(VerifierFinding.OUTSIDE_CALLBACKS, finding.callback());
  }

  @Test
  void lockUseOutsideTheEnableWindowIsAFindingButWorks() {
    DeviceNode device = device(InterruptConfig.builder("rx", TestSupport.claim()).build());
    Interrupt rx = device.getInterrupts().get(0);
    try (var held = rx.lock()) { // before start: not enabled
      // the passive lock still works, as UMDF 2's does
    }
    assertEquals(1, sim.findings().size());
    device.start();
    rx.synchronize(() -> null); // inside the window: fine
    assertEquals(1, sim.findings().size());
    device.stop();
    assertTrue(rx.tryToAcquireInterruptLock());
    rx.releaseInterruptLock();
    assertEquals(2, sim.findings().stream().filter(f -> f.rule().equals(VerifierFinding.LOCK_OUTSIDE_ENABLE_WINDOW)).count());
  }

  @Test
  void workItemDrainedByAStopMayTakeTheLockAfterTheDisableCallback() {
    List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    DeviceNode device =
        device(
            InterruptConfig.builder("rx", TestSupport.queueWorkItem())
                .workItem(
                    (interrupt, associated) -> {
                      try (var held = interrupt.lock()) { // drains what the ISR saved
                        events.add("work item under the lock");
                      }
                    })
                .enable((interrupt, associated) -> events.add("enable"))
                .disable((interrupt, associated) -> events.add("disable"))
                .build());
    device.start();
    hardware.interrupt("rx").fire();
    sim.runPendingIsrs(); // the work item is queued, not run
    device.stop(); // disable, then the drain runs the work item
    assertEquals(List.of("enable", "disable", "work item under the lock"), events);
    assertEquals(List.of(), sim.findings());
  }

  /**
   * The work item runs beside the other callbacks (it holds no lock), so the disable callback may
   * run while it does. A work item already running when the disable callback ran may still take
   * the lock while the stop drains it; the verifier once lost track of it there, because the
   * disable callback's own bookkeeping overwrote the work item's.
   */
  @Test
  void aWorkItemRunningAcrossTheDisableCallbackMayTakeTheLockWhileDrained() {
    try (Simulation threaded = Simulation.threaded()) {
      SimulatedHardware line = SimulatedHardware.builder().edge("rx").build();
      CountDownLatch workItemRunning = new CountDownLatch(1);
      CountDownLatch disableCalled = new CountDownLatch(1);
      List<String> events = new CopyOnWriteArrayList<>();
      DeviceNode device = threaded.device(TestSupport.uniqueName("ver"), line);
      device.addDriver(
          new Object(),
          TestSupport.wiring(
              InterruptConfig.builder("rx", TestSupport.queueWorkItem())
                  .workItem(
                      (interrupt, associated) -> {
                        workItemRunning.countDown();
                        TestSupport.awaitQuietly(disableCalled);
                        try (var held = interrupt.lock()) { // after the disable callback returned
                          events.add("work item under the lock");
                        }
                      })
                  .disable(
                      (interrupt, associated) -> {
                        events.add("disable");
                        disableCalled.countDown();
                      })
                  .build()));
      device.start();
      line.interrupt("rx").fire();
      TestSupport.await(workItemRunning);
      device.stop(); // the disable callback runs while the work item waits; the drain waits for it
      assertEquals(List.of("disable", "work item under the lock"), events);
      assertEquals(List.of(), threaded.findings());
    }
  }

  @Test
  void isrOverItsBudgetIsAFindingOnTheVirtualClock() {
    DeviceNode device =
        device(
            InterruptConfig.builder(
                    "rx",
                    (i, id) -> {
                      sim.clock().advance(Duration.ofNanos(40_000)); // "takes" 40 µs
                      return true;
                    })
                .build());
    device.start();
    hardware.interrupt("rx").fire();
    sim.runPendingIsrs();
    VerifierFinding finding = only(VerifierFinding.ISR_OVER_BUDGET);
    assertEquals("OnInterruptIsr", finding.callback());
    assertTrue(finding.message().contains("40000 ns"), finding.message());
    InterruptStatistics stats = device.getInterrupts().get(0).getStatistics();
    assertEquals(40_000, stats.maxIsrNanos());
    // Reported on the 1st, 2nd, 4th, 8th... call over budget; all counted.
    for (int n = 0; n < 4; n++) {
      hardware.interrupt("rx").fire();
      sim.runPendingIsrs();
    }
    assertEquals(3, sim.findings().size()); // calls 1, 2 and 4
    assertEquals(5, device.getInterrupts().get(0).getStatistics().verifierFindings());
  }

  @Test
  void customBudgetApplies() {
    DeviceNode device =
        sim.deviceBuilder(TestSupport.uniqueName("ver"), hardware).isrBudget(Duration.ofMillis(1)).build();
    device.addDriver(
        new Object(),
        TestSupport.wiring(
            InterruptConfig.builder(
                    "rx",
                    (i, id) -> {
                      sim.clock().advance(Duration.ofNanos(40_000));
                      return true;
                    })
                .build()));
    try (device) {
      device.start();
      hardware.interrupt("rx").fire();
      sim.runPendingIsrs();
      assertTrue(sim.findings().isEmpty());
    }
  }

  @Test
  void queueWithoutWorkItemIsAFinding() {
    DeviceNode device = device(InterruptConfig.builder("rx", (i, id) -> i.queueWorkItemForIsr()).build());
    device.start();
    hardware.interrupt("rx").fire();
    sim.runPendingIsrs();
    assertEquals("OnInterruptIsr", only(VerifierFinding.QUEUE_WITHOUT_WORK_ITEM).callback());
  }

  @Test
  void doubleEnableIsAFinding() {
    DeviceNode device = device(InterruptConfig.builder("rx", TestSupport.claim()).build());
    device.start();
    assertThrows(InterruptRuleViolation.class, () -> device.getInterrupts().get(0).enable());
    only(VerifierFinding.DOUBLE_ENABLE);
  }

  @Test
  void verifierOffReportsNothing() {
    TestSupport.RecordingListener listener = new TestSupport.RecordingListener();
    List<VerifierFinding> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    DeviceListener recording =
        new DeviceListener() {
          @Override
          public void verifierFinding(VerifierFinding finding) {
            seen.add(finding);
          }

          @Override
          public void warning(String message) {
            listener.warning(message);
          }
        };
    try (DeviceNode device =
        DeviceNode.builder(TestSupport.uniqueName("off"), hardware).listener(recording).verifier(false).build()) {
      device.addDriver(new Object(), TestSupport.wiring(InterruptConfig.builder("rx", TestSupport.claim()).build()));
      Interrupt rx = device.getInterrupts().get(0);
      rx.acquireInterruptLock(); // outside the window: not checked
      assertThrows(InterruptRuleViolation.class, rx::acquireInterruptLock); // still never a deadlock
      rx.releaseInterruptLock();
      assertTrue(seen.isEmpty());
      assertEquals(0, rx.getStatistics().verifierFindings());
    }
  }
}
