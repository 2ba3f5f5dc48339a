package dev.udriver.runtime.internal;

import dev.udriver.runtime.InterruptRuleViolation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.locks.LockSupport;

/**
 * The interrupt lock: UMDF's passive interrupt lock (WDF's {@code FxWaitLock}, an auto-reset event).
 * Not recursive. Where WDF asserts and then deadlocks on a recursive acquire, this lock throws an
 * {@link InterruptRuleViolation} naming the interrupt; releasing a lock the thread does not hold is
 * reported the same way. Interrupts of one lock group share one instance.
 *
 * <p><b>Fast path.</b> The lock word is the owner thread ({@link #owner}, null when free). An
 * uncontended acquire is one volatile read of {@link #queued} and one CAS of the owner word from
 * null to the calling thread; a failing CAS that returns the caller itself is the recursion check,
 * at no extra cost. An uncontended release is one CAS of the owner word from the caller to null (a
 * witness other than the caller is the release-without-acquire check) and one volatile read of
 * {@link #queued}.
 *
 * <p>Why the release is a CAS and not a {@code setRelease}: a waiter announces itself (store to
 * {@code queued}) and then looks at the owner word (load); the releaser frees the owner word (store)
 * and then looks at {@code queued} (load). That is Dekker's pattern, and it needs a StoreLoad
 * barrier on both sides, or both may read the other's old value and the waiter parks with nobody
 * to wake it. A release store alone has no StoreLoad; the CAS (a locked instruction on x86) is the
 * cheapest store that has one, and it doubles as the ownership check.
 *
 * <p><b>Slow path.</b> Waiters queue in FIFO order ({@link #waiters}, guarded by its own monitor)
 * and park. Blocking acquires are fair: a thread that finds {@code queued} non-zero does not take
 * the fast path, and only the first queued thread may take a free lock. Without that, a dispatcher
 * running ISRs back to back re-takes the lock before a parked work item wakes, and the work item
 * starves while the ISR's buffer overflows. {@link #tryAcquire()} barges, as it must return at
 * once. Nothing is allocated on the fast path; the queue allocates only when it grows.
 */
final class InterruptLock {

  static final String RULE_NO_RECURSION = "INTERRUPT_LOCK_NO_RECURSION";
  static final String RULE_RELEASE_WITHOUT_ACQUIRE = "INTERRUPT_LOCK_RELEASE_WITHOUT_ACQUIRE";

  private static final VarHandle OWNER;
  private static final VarHandle QUEUED;
  private static final VarHandle HEAD;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      OWNER = lookup.findVarHandle(InterruptLock.class, "owner", Thread.class);
      QUEUED = lookup.findVarHandle(InterruptLock.class, "queued", int.class);
      HEAD = lookup.findVarHandle(InterruptLock.class, "head", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The lock word: the holder, null when free. Written by CAS only. */
  @SuppressWarnings("unused") // through OWNER
  private volatile Thread owner;

  /** Threads in {@link #waiters}; written under its monitor (volatile store), read anywhere. */
  @SuppressWarnings("unused") // through QUEUED
  private volatile int queued;

  /** The first of {@link #waiters}, the only waiter allowed to take a free lock; null when none. */
  @SuppressWarnings("unused") // through HEAD
  private volatile Thread head;

  /** Waiting threads, oldest first. Guarded by itself. */
  private final ArrayDeque<Thread> waiters = new ArrayDeque<>(4);

  /** Blocks until the lock is free; throws when the calling thread already holds it. */
  void acquire(InterruptObject through) {
    Thread current = Thread.currentThread();
    if (!tryFastAcquire(current)) {
      if ((Thread) OWNER.getOpaque(this) == current) { // opaque: a thread sees its own CAS
        throw recursion(through);
      }
      acquireSlow(current);
    }
  }

  /** The framework's own acquire, around callbacks: the dispatcher never holds a lock already. */
  void acquireForFramework() {
    Thread current = Thread.currentThread();
    if (!tryFastAcquire(current)) {
      acquireSlow(current);
    }
  }

  /** Fair fast path: only while nobody is queued (volatile read), then a CAS null → current. */
  private boolean tryFastAcquire(Thread current) {
    return (int) QUEUED.getVolatile(this) == 0 && OWNER.compareAndSet(this, null, current);
  }

  /** Takes the lock if it is free, queued threads or not; false when any thread, the caller included, holds it. */
  boolean tryAcquire() {
    return OWNER.compareAndSet(this, null, Thread.currentThread()); // volatile CAS: acquire
  }

  void release(InterruptObject through) {
    if (!tryRelease(Thread.currentThread())) {
      throw new InterruptRuleViolation(
          through.toString(),
          RULE_RELEASE_WITHOUT_ACQUIRE,
          "releaseInterruptLock() by a thread that does not hold the interrupt lock");
    }
  }

  void releaseForFramework() {
    if (!tryRelease(Thread.currentThread())) {
      throw new IllegalStateException("the framework released an interrupt lock it does not hold");
    }
  }

  /**
   * CAS current → null (volatile: publishes the critical section to the next owner, and the
   * StoreLoad before the read of {@code queued}); false, changing nothing, when the caller does
   * not hold the lock.
   */
  private boolean tryRelease(Thread current) {
    if (!OWNER.compareAndSet(this, current, null)) {
      return false;
    }
    if ((int) QUEUED.getVolatile(this) != 0) {
      LockSupport.unpark((Thread) HEAD.getVolatile(this)); // null-safe; a stale head wakes spuriously
    }
    return true;
  }

  boolean isHeldByCurrentThread() {
    return (Thread) OWNER.getOpaque(this) == Thread.currentThread(); // opaque: see tryFastAcquire
  }

  boolean hasQueuedThreads() {
    return (int) QUEUED.getVolatile(this) != 0;
  }

  private void acquireSlow(Thread current) {
    synchronized (waiters) {
      waiters.addLast(current);
      if (waiters.size() == 1) {
        HEAD.setVolatile(this, current);
      }
      // Volatile store, then the CAS below reads the owner word: pairs with tryRelease's CAS and
      // its read of queued, so either the releaser sees this waiter or this waiter sees it free.
      QUEUED.setVolatile(this, waiters.size());
    }
    boolean interrupted = false;
    while (!((Thread) HEAD.getVolatile(this) == current && OWNER.compareAndSet(this, null, current))) {
      LockSupport.park(this);
      if (Thread.interrupted()) { // not interruptible: remember it for the caller, park again
        interrupted = true;
      }
    }
    synchronized (waiters) {
      waiters.removeFirst(); // current: only the head takes the lock
      Thread next = waiters.peekFirst();
      HEAD.setVolatile(this, next);
      QUEUED.setVolatile(this, waiters.size());
    }
    if (interrupted) {
      current.interrupt();
    }
  }

  private static InterruptRuleViolation recursion(InterruptObject through) {
    return new InterruptRuleViolation(
        through.toString(),
        RULE_NO_RECURSION,
        "acquireInterruptLock() on a thread that already holds the interrupt lock (the framework"
            + " holds it in the ISR, enable and disable callbacks); the lock is not recursive");
  }
}
