package dev.udriver.runtime.internal;

import dev.udriver.runtime.InterruptRuleViolation;
import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * The interrupt lock: UMDF's passive interrupt lock (WDF's {@code FxWaitLock}, an auto-reset event).
 * Not recursive. Where WDF asserts and then deadlocks on a recursive acquire, this lock throws an
 * {@link InterruptRuleViolation} naming the interrupt; releasing a lock the thread does not hold is
 * reported the same way. Interrupts of one lock group share one instance.
 *
 * <p>Uncontended acquire and release are one CAS each ({@link AbstractQueuedSynchronizer}'s fast
 * path); waiters park in its queue. Blocking acquires are fair: a thread that finds others queued
 * queues behind them. Without that, a dispatcher running ISRs back to back re-takes the lock before
 * a parked work item wakes, and the work item starves while the ISR's buffer overflows. {@link
 * #tryAcquire()} barges, as it must return at once.
 */
final class InterruptLock {

  static final String RULE_NO_RECURSION = "INTERRUPT_LOCK_NO_RECURSION";
  static final String RULE_RELEASE_WITHOUT_ACQUIRE = "INTERRUPT_LOCK_RELEASE_WITHOUT_ACQUIRE";

  private final Sync sync = new Sync();

  /** Blocks until the lock is free; throws when the calling thread already holds it. */
  void acquire(InterruptObject through) {
    if (sync.heldByCurrentThread()) {
      throw new InterruptRuleViolation(
          through.toString(),
          RULE_NO_RECURSION,
          "acquireInterruptLock() on a thread that already holds the interrupt lock (the framework"
              + " holds it in the ISR, enable and disable callbacks); the lock is not recursive");
    }
    sync.acquire(Sync.FAIR);
  }

  /** The framework's own acquire, around callbacks: the dispatcher never holds a lock already. */
  void acquireForFramework() {
    sync.acquire(Sync.FAIR);
  }

  void releaseForFramework() {
    sync.release(1);
  }

  /** Takes the lock if it is free; false when any thread, the caller included, holds it. */
  boolean tryAcquire() {
    return sync.tryAcquire(Sync.BARGE);
  }

  void release(InterruptObject through) {
    if (!sync.heldByCurrentThread()) {
      throw new InterruptRuleViolation(
          through.toString(),
          RULE_RELEASE_WITHOUT_ACQUIRE,
          "releaseInterruptLock() by a thread that does not hold the interrupt lock");
    }
    sync.release(1);
  }

  boolean isHeldByCurrentThread() {
    return sync.heldByCurrentThread();
  }

  boolean hasQueuedThreads() {
    return sync.hasQueuedThreads();
  }

  /** A non-reentrant mutex; the owner is recorded only to detect recursion and foreign release. */
  private static final class Sync extends AbstractQueuedSynchronizer {
    private static final long serialVersionUID = 1L;

    static final int FAIR = 1;
    static final int BARGE = 2;

    @Override
    protected boolean tryAcquire(int mode) {
      if (mode == FAIR && hasQueuedPredecessors()) {
        return false;
      }
      if (compareAndSetState(0, 1)) {
        setExclusiveOwnerThread(Thread.currentThread());
        return true;
      }
      return false;
    }

    @Override
    protected boolean tryRelease(int ignored) {
      setExclusiveOwnerThread(null);
      setState(0); // volatile write: publishes the critical section to the next owner
      return true;
    }

    @Override
    protected boolean isHeldExclusively() {
      return heldByCurrentThread();
    }

    boolean heldByCurrentThread() {
      return getExclusiveOwnerThread() == Thread.currentThread();
    }
  }
}
