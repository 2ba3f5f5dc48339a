package dev.udriver.runtime;

import static dev.udriver.runtime.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.TestSupport.RecordingListener;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A driver callback that throws never takes the dispatcher or the worker down. */
class FailureContainmentTest {

  private final RecordingListener listener = new RecordingListener();
  private final SimulatedHardware hardware = SimulatedHardware.builder().edge("a").edge("b").build();
  private final AtomicInteger bCalls = new AtomicInteger();

  private InterruptConfig healthyB() {
    return InterruptConfig.builder(
            "b",
            (interrupt, id) -> {
              bCalls.incrementAndGet();
              return true;
            })
        .build();
  }

  @Test
  void isrThrowingOnEverySecondCallIsContainedCountedAndReported() {
    AtomicInteger calls = new AtomicInteger();
    InterruptConfig a =
        InterruptConfig.builder(
                "a",
                (interrupt, id) -> {
                  if (calls.incrementAndGet() % 2 == 0) {
                    throw new IllegalStateException("ISR failure " + calls.get());
                  }
                  return true;
                })
            .build();
    try (DeviceNode device = TestSupport.device(hardware, listener, a, healthyB())) {
      device.start();
      Interrupt interrupt = device.getInterrupts("a").get(0);
      for (int i = 1; i <= 10; i++) {
        hardware.interrupt("a").fire();
        int expected = i;
        await("ISR call " + i, () -> interrupt.getStatistics().isrCalls() == expected);
      }
      hardware.interrupt("b").fire();
      await("the other interrupt", () -> bCalls.get() == 1);

      InterruptStatistics stats = interrupt.getStatistics();
      assertEquals(10, calls.get());
      assertEquals(5, stats.callbackFailures());
      assertEquals(5, stats.claimed());
      assertEquals(5, stats.unclaimed(), "a throwing ISR counts as not claiming");
      assertEquals(5, listener.failures.size());
      for (RecordingListener.Failure failure : listener.failures) {
        assertSame(interrupt, failure.interrupt());
        assertEquals("OnInterruptIsr", failure.callback());
        assertInstanceOf(IllegalStateException.class, failure.failure());
      }
      assertTrue(TestSupport.lockFreeForOtherThread(interrupt), "a throwing ISR leaked the lock");
    }
  }

  @Test
  void throwingWorkItemIsContainedCountedAndReported() {
    AtomicInteger runs = new AtomicInteger();
    InterruptConfig a =
        InterruptConfig.builder("a", TestSupport.queueWorkItem())
            .workItem(
                (interrupt, device) -> {
                  if (runs.incrementAndGet() % 2 == 1) {
                    throw new StackOverflowError("work item failure");
                  }
                })
            .build();
    try (DeviceNode device = TestSupport.device(hardware, listener, a, healthyB())) {
      device.start();
      Interrupt interrupt = device.getInterrupts("a").get(0);
      for (int i = 1; i <= 4; i++) {
        hardware.interrupt("a").fire();
        int expected = i;
        await("work item run " + i, () -> interrupt.getStatistics().workItemsRun() == expected);
      }
      assertEquals(4, runs.get());
      assertEquals(2, interrupt.getStatistics().callbackFailures());
      assertEquals(2, listener.failuresOf("OnInterruptWorkItem").size());
      assertSame(interrupt, listener.failures.get(0).interrupt());
      hardware.interrupt("b").fire();
      await("the other interrupt", () -> bCalls.get() == 1);
    }
  }

  @Test
  void throwingListenerDoesNotTakeTheDispatcherDown() {
    DeviceListener throwing =
        new DeviceListener() {
          @Override
          public void callbackFailed(Interrupt interrupt, String callback, Throwable failure) {
            throw new IllegalStateException("listener bug");
          }
        };
    InterruptConfig a =
        InterruptConfig.builder(
                "a",
                (interrupt, id) -> {
                  throw new IllegalArgumentException("ISR failure");
                })
            .build();
    try (DeviceNode device = TestSupport.device(hardware, throwing, a, healthyB())) {
      device.start();
      Interrupt interrupt = device.getInterrupts("a").get(0);
      hardware.interrupt("a").fire();
      await("the failure", () -> interrupt.getStatistics().callbackFailures() == 1);
      hardware.interrupt("a").fire();
      await("a second failure", () -> interrupt.getStatistics().callbackFailures() == 2);
      hardware.interrupt("b").fire();
      await("the other interrupt", () -> bCalls.get() == 1);
    }
  }

  @Test
  void isrThatReleasesTheFrameworksLockIsReportedAndDispatchGoesOn() {
    AtomicInteger calls = new AtomicInteger();
    InterruptConfig a =
        InterruptConfig.builder(
                "a",
                (interrupt, id) -> {
                  if (calls.incrementAndGet() == 1) {
                    interrupt.releaseInterruptLock();
                  }
                  return true;
                })
            .build();
    try (DeviceNode device = TestSupport.device(hardware, listener, a, healthyB())) {
      device.start();
      Interrupt interrupt = device.getInterrupts("a").get(0);
      hardware.interrupt("a").fire();
      await("the report", () -> listener.failures.size() == 1);
      RecordingListener.Failure failure = listener.failures.get(0);
      assertEquals("OnInterruptIsr", failure.callback());
      assertEquals(
          "INTERRUPT_LOCK_RELEASED_BY_CALLBACK",
          assertInstanceOf(InterruptRuleViolation.class, failure.failure()).rule());
      hardware.interrupt("a").fire();
      await("the next ISR", () -> calls.get() == 2);
      assertTrue(TestSupport.lockFreeForOtherThread(interrupt));
    }
  }

  @Test
  void workItemReturningWithTheLockHeldIsReportedAndTheLockReleased() {
    AtomicInteger runs = new AtomicInteger();
    InterruptConfig a =
        InterruptConfig.builder("a", TestSupport.queueWorkItem())
            .workItem(
                (interrupt, device) -> {
                  interrupt.acquireInterruptLock(); // and forgets to release it
                  runs.incrementAndGet();
                })
            .build();
    try (DeviceNode device = TestSupport.device(hardware, listener, a, healthyB())) {
      device.start();
      Interrupt interrupt = device.getInterrupts("a").get(0);
      hardware.interrupt("a").fire();
      await("the report", () -> listener.failures.size() == 1);
      assertEquals("OnInterruptWorkItem", listener.failures.get(0).callback());
      assertEquals(
          "INTERRUPT_LOCK_HELD_AFTER_CALLBACK",
          assertInstanceOf(InterruptRuleViolation.class, listener.failures.get(0).failure()).rule());
      assertTrue(TestSupport.lockFreeForOtherThread(interrupt));
      hardware.interrupt("a").fire(); // the ISR can take the lock again
      await("the second run", () -> runs.get() == 2);
    }
  }
}
