package dev.udriver.runtime;

import static dev.udriver.runtime.TestSupport.await;
import static dev.udriver.runtime.TestSupport.lockFreeForOtherThread;
import static dev.udriver.runtime.TestSupport.onOtherThread;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The interrupt lock: acquire, release, try, recursion, lock groups, conveniences. */
class InterruptLockTest {

  private final SimulatedHardware hardware =
      SimulatedHardware.builder().edge("a").edge("b").edge("c").build();
  private final AtomicReference<String> bIsrRecursionRule = new AtomicReference<>();
  private final CountDownLatch bIsrDone = new CountDownLatch(1);
  private DeviceNode device;
  private Interrupt a;
  private Interrupt b;
  private Interrupt c;

  @BeforeEach
  void start() {
    InterruptConfig.Isr bIsr =
        (interrupt, id) -> {
          try {
            a.acquireInterruptLock(); // same lock group: this thread already holds it
            a.releaseInterruptLock();
            bIsrRecursionRule.set("acquired");
          } catch (InterruptRuleViolation violation) {
            bIsrRecursionRule.set(violation.rule());
          }
          bIsrDone.countDown();
          return true;
        };
    device =
        TestSupport.device(
            hardware,
            InterruptConfig.builder("a", TestSupport.claim()).lockGroup("g").build(),
            InterruptConfig.builder("b", bIsr).lockGroup("g").build(),
            InterruptConfig.builder("c", TestSupport.claim()).build());
    a = device.getInterrupts("a").get(0);
    b = device.getInterrupts("b").get(0);
    c = device.getInterrupts("c").get(0);
    device.start();
  }

  @AfterEach
  void close() {
    device.close();
  }

  @Test
  void tryToAcquireFailsAtOnceWhenAnotherThreadHoldsTheLock() {
    a.acquireInterruptLock();
    try {
      assertFalse(onOtherThread(a::tryToAcquireInterruptLock));
    } finally {
      a.releaseInterruptLock();
    }
    assertTrue(lockFreeForOtherThread(a));
  }

  @Test
  void tryToAcquireFailsWhenTheSameThreadHoldsTheLockAndLeavesItHeld() {
    assertTrue(c.tryToAcquireInterruptLock());
    try {
      assertFalse(c.tryToAcquireInterruptLock());
      assertFalse(lockFreeForOtherThread(c), "the failed try released the lock");
    } finally {
      c.releaseInterruptLock();
    }
    assertTrue(lockFreeForOtherThread(c));
  }

  @Test
  void recursiveAcquireIsDetectedNotADeadlock() {
    c.acquireInterruptLock();
    try {
      InterruptRuleViolation violation =
          assertThrows(InterruptRuleViolation.class, c::acquireInterruptLock);
      assertEquals("INTERRUPT_LOCK_NO_RECURSION", violation.rule());
      assertEquals(c.toString(), violation.interrupt());
      assertTrue(violation.getMessage().contains(c.toString()));
      assertFalse(lockFreeForOtherThread(c), "the refused acquire released the lock");
    } finally {
      c.releaseInterruptLock();
    }
  }

  @Test
  void releaseWithoutAcquireIsARuleViolation() {
    InterruptRuleViolation violation =
        assertThrows(InterruptRuleViolation.class, c::releaseInterruptLock);
    assertEquals("INTERRUPT_LOCK_RELEASE_WITHOUT_ACQUIRE", violation.rule());

    c.acquireInterruptLock();
    try {
      InterruptRuleViolation foreign =
          assertThrows(
              InterruptRuleViolation.class,
              () -> onOtherThread(() -> {
                c.releaseInterruptLock();
                return null;
              }));
      assertEquals("INTERRUPT_LOCK_RELEASE_WITHOUT_ACQUIRE", foreign.rule());
      assertFalse(lockFreeForOtherThread(c), "a foreign release freed the lock");
    } finally {
      c.releaseInterruptLock();
    }
  }

  @Test
  void acquireWaitsForAnotherHolder() {
    c.acquireInterruptLock();
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean acquired = new AtomicBoolean();
    Thread waiter = Thread.ofPlatform().start(() -> {
      started.countDown();
      c.acquireInterruptLock();
      acquired.set(true);
      c.releaseInterruptLock();
    });
    TestSupport.await(started);
    await( // a waiter parks with a timeout (the lost-wake-up backstop)
        "the waiter to block",
        () ->
            waiter.getState() == Thread.State.WAITING
                || waiter.getState() == Thread.State.TIMED_WAITING);
    assertFalse(acquired.get());
    c.releaseInterruptLock();
    await("the waiter to get the lock", acquired::get);
  }

  @Test
  void interruptsOfOneLockGroupShareTheLockAndOthersDoNot() {
    a.acquireInterruptLock();
    try {
      assertFalse(onOtherThread(b::tryToAcquireInterruptLock), "b's lock is a's lock");
      assertFalse(b.tryToAcquireInterruptLock(), "same thread, same lock");
      assertTrue(lockFreeForOtherThread(c), "c has a lock of its own");
      InterruptRuleViolation violation =
          assertThrows(InterruptRuleViolation.class, b::acquireInterruptLock);
      assertEquals("INTERRUPT_LOCK_NO_RECURSION", violation.rule());
    } finally {
      a.releaseInterruptLock();
    }
    // The group lock is released through either member.
    b.acquireInterruptLock();
    a.releaseInterruptLock();
    assertTrue(lockFreeForOtherThread(b));
  }

  @Test
  void anIsrHoldsTheLockOfItsWholeGroup() {
    hardware.interrupt("b").fire();
    TestSupport.await(bIsrDone);
    assertEquals("INTERRUPT_LOCK_NO_RECURSION", bIsrRecursionRule.get());
  }

  @Test
  void isrWaitsWhileAnotherThreadHoldsItsGroupLock() {
    a.acquireInterruptLock();
    hardware.interrupt("b").fire();
    await("b pending", () -> b.getStatistics().signals() == 1 || bIsrDone.getCount() == 0);
    assertEquals(1, bIsrDone.getCount(), "b's ISR ran while a's group lock was held");
    a.releaseInterruptLock();
    TestSupport.await(bIsrDone);
  }

  @Test
  void lockHandleReleasesOnCloseAndIsTheSameEachTime() {
    Interrupt.HeldLock first;
    try (Interrupt.HeldLock held = c.lock()) {
      first = held;
      assertFalse(lockFreeForOtherThread(c));
    }
    assertTrue(lockFreeForOtherThread(c));
    try (Interrupt.HeldLock held = c.lock()) {
      assertSame(first, held, "the handle is allocated once");
    }
    assertThrows(InterruptRuleViolation.class, first::close, "closing a handle twice");
    assertTrue(lockFreeForOtherThread(c));
  }

  @Test
  void lockHandleReleasesWhenTheBlockThrows() {
    assertThrows(
        IllegalStateException.class,
        () -> {
          try (var held = c.lock()) {
            throw new IllegalStateException("inside " + held);
          }
        });
    assertTrue(lockFreeForOtherThread(c));
  }

  @Test
  void synchronizeRunsTheCallbackUnderTheLockAndReturnsItsResult() {
    String result =
        c.synchronize(() -> lockFreeForOtherThread(c) ? "unlocked" : "locked");
    assertEquals("locked", result);
    assertTrue(lockFreeForOtherThread(c));
    assertThrows(
        ArithmeticException.class,
        () -> c.synchronize(() -> {
          throw new ArithmeticException();
        }));
    assertTrue(lockFreeForOtherThread(c), "synchronize leaked the lock on an exception");
    assertEquals(
        "INTERRUPT_LOCK_NO_RECURSION",
        assertThrows(InterruptRuleViolation.class, () -> c.synchronize(() -> c.synchronize(() -> 1)))
            .rule());
    assertTrue(lockFreeForOtherThread(c));
  }
}
