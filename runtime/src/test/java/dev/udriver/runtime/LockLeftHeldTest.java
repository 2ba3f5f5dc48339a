package dev.udriver.runtime;

import static dev.udriver.runtime.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.TestSupport.RecordingListener;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A callback that returns holding another interrupt's lock: reported with both interrupts' names,
 * the lock is released on the driver's behalf, and the dispatcher never parks on a lock it holds
 * itself (it did: B's next ISR waited forever, and so did stop() and close()).
 */
class LockLeftHeldTest {

  private static final Duration BOUND = Duration.ofSeconds(10);

  private final SimulatedHardware hardware = SimulatedHardware.builder().edge("a").edge("b").build();
  private final RecordingListener listener = new RecordingListener();
  private final AtomicReference<Interrupt> b = new AtomicReference<>();
  private final AtomicInteger bCalls = new AtomicInteger();

  private DeviceNode device(boolean verifier, InterruptConfig a) {
    DeviceNode device =
        DeviceNode.builder(TestSupport.uniqueName("leak"), hardware)
            .listener(listener)
            .verifier(verifier)
            .build();
    InterruptConfig countingB =
        InterruptConfig.builder(
                "b",
                (interrupt, id) -> {
                  bCalls.incrementAndGet();
                  return true;
                })
            .build();
    device.addDriver(new Object(), TestSupport.wiring(a, countingB));
    b.set(device.getInterrupts("b").get(0));
    return device;
  }

  /** A's ISR takes B's lock and returns without releasing it. */
  private InterruptConfig isrLeakingB() {
    return InterruptConfig.builder(
            "a",
            (interrupt, id) -> {
              b.get().acquireInterruptLock();
              return true;
            })
        .build();
  }

  private static InterruptRuleViolation violation(RecordingListener.Failure failure) {
    return assertInstanceOf(InterruptRuleViolation.class, failure.failure());
  }

  @Test
  void isrLeavingAnotherInterruptsLockHeldIsAFindingAndTheLockIsReleased() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          DeviceNode device = device(true, isrLeakingB());
          Interrupt a = device.getInterrupts("a").get(0);
          device.start();
          hardware.interrupt("a").fire();
          await("the report", () -> listener.failures.size() == 1);

          assertEquals(1, listener.findings.size(), "findings: " + listener.findings);
          VerifierFinding finding = listener.findings.get(0);
          assertEquals(VerifierFinding.LOCK_HELD_AFTER_CALLBACK, finding.rule());
          assertEquals(a, finding.interrupt());
          assertEquals("OnInterruptIsr", finding.callback());
          assertTrue(finding.message().contains(a.toString()), finding.message());
          assertTrue(finding.message().contains(b.get().toString()), finding.message());
          RecordingListener.Failure failure = listener.failures.get(0);
          assertEquals(a, failure.interrupt());
          assertEquals("OnInterruptIsr", failure.callback());
          assertEquals("INTERRUPT_LOCK_HELD_AFTER_CALLBACK", violation(failure).rule());
          assertEquals(1, a.getStatistics().callbackFailures());

          hardware.interrupt("b").fire();
          await("B's ISR", () -> bCalls.get() == 1);
          assertTrue(TestSupport.lockFreeForOtherThread(b.get()));
          device.stop();
          device.close();
        });
  }

  @Test
  void withTheVerifierOffTheDispatcherReportsTheLeakedLockInsteadOfParkingOnItself() {
    verifierOffProbe(false);
  }

  /**
   * B served first: its lock is biased to the dispatcher (where membarrier exists), and A's ISR
   * takes it through the bias flag. B's ISR used to run inside that hold, unreported.
   */
  @Test
  void withTheVerifierOffALeakedBiasedHoldIsReportedToo() {
    verifierOffProbe(true);
  }

  private void verifierOffProbe(boolean serveBFirst) {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          DeviceNode device = device(false, isrLeakingB());
          Interrupt a = device.getInterrupts("a").get(0);
          device.start();
          int bCallsBefore = 0;
          if (serveBFirst) {
            hardware.interrupt("b").fire();
            await("B's first ISR", () -> bCalls.get() == 1);
            bCallsBefore = 1;
          }
          int expectedBCalls = bCallsBefore + 1;
          hardware.interrupt("a").fire();
          await("A's ISR", () -> a.getStatistics().isrCalls() == 1);

          hardware.interrupt("b").fire();
          await("B's ISR", () -> bCalls.get() == expectedBCalls);
          assertEquals(1, listener.failures.size(), "failures: " + listener.failures);
          RecordingListener.Failure failure = listener.failures.get(0);
          assertEquals(b.get(), failure.interrupt());
          assertEquals("OnInterruptIsr", failure.callback());
          InterruptRuleViolation violation = violation(failure);
          assertEquals("INTERRUPT_LOCK_HELD_AFTER_CALLBACK", violation.rule());
          assertTrue(violation.getMessage().contains(b.get().toString()), violation.getMessage());
          assertEquals(1, b.get().getStatistics().callbackFailures());
          assertTrue(listener.findings.isEmpty(), "no findings with the verifier off");
          assertTrue(TestSupport.lockFreeForOtherThread(b.get()));
          device.stop();
          device.close();
        });
  }

  @Test
  void enableCallbackLeavingAnotherInterruptsLockHeldIsReportedEvenWithTheVerifierOff() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          InterruptConfig a =
              InterruptConfig.builder("a", TestSupport.claim())
                  .enable((interrupt, device) -> b.get().acquireInterruptLock())
                  .disable((interrupt, device) -> {})
                  .build();
          DeviceNode device = device(false, a);
          device.start();
          assertEquals(1, listener.failures.size(), "failures: " + listener.failures);
          RecordingListener.Failure failure = listener.failures.get(0);
          assertEquals(device.getInterrupts("a").get(0), failure.interrupt());
          assertEquals("OnInterruptEnable", failure.callback());
          assertTrue(violation(failure).getMessage().contains(b.get().toString()));
          assertTrue(TestSupport.lockFreeForOtherThread(b.get()));
          hardware.interrupt("b").fire();
          await("B's ISR", () -> bCalls.get() == 1);
          device.stop();
          device.close();
        });
  }

  @Test
  void disableCallbackLeavingAnotherInterruptsLockHeldIsReportedEvenWithTheVerifierOff() {
    assertTimeoutPreemptively(
        BOUND,
        () -> {
          InterruptConfig a =
              InterruptConfig.builder("a", TestSupport.claim())
                  .enable((interrupt, device) -> {})
                  .disable((interrupt, device) -> b.get().acquireInterruptLock())
                  .build();
          DeviceNode device = device(false, a);
          device.start();
          device.stop(); // A is disabled after B (reverse order): B's lock is free by then
          assertEquals(1, listener.failures.size(), "failures: " + listener.failures);
          assertEquals("OnInterruptDisable", listener.failures.get(0).callback());
          assertTrue(TestSupport.lockFreeForOtherThread(b.get()));
          device.start();
          hardware.interrupt("b").fire();
          await("B's ISR", () -> bCalls.get() == 1);
          device.close();
        });
  }
}
