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
 * uncontended acquire is one read of {@link #queued} and one CAS of the owner word from null to the
 * calling thread; a failing CAS that returns the caller itself is the recursion check, at no extra
 * cost. An uncontended release is a plain read of the owner word (only its owner can have stored
 * itself there, so a thread that reads itself holds the lock: the release-without-acquire check),
 * one release store of null ({@code setRelease}: a plain store on x86, no locked instruction) and
 * one read of {@code queued}. Acquire + release is therefore one locked instruction.
 *
 * <p><b>Why a release store can lose a wake-up, and why the loss is bounded.</b> A waiter
 * announces itself (store to {@code queued}) and then looks at the owner word (its CAS); the
 * releaser frees the owner word (store) and then looks at {@code queued} (load). That is Dekker's
 * pattern: without a StoreLoad barrier on the releaser's side, its load of {@code queued} may be
 * satisfied while its store of null still sits in its store buffer. The waiter's CAS is a full
 * fence, but a fence only orders the waiter's own accesses: it cannot make the releaser's buffered
 * store visible, nor make the releaser's earlier load see the waiter's store. Both threads may then
 * read the other's old value: the releaser sees nobody queued and wakes nobody, the waiter sees the
 * lock held and parks. So a fence on the waiter's side alone (Dekker asymmetry) does not close the
 * window; closing it without a StoreLoad on the release path would need the waiter to force a
 * barrier on the releaser's processor ({@code membarrier(2)}), which Java does not offer.
 *
 * <p>Instead the window is made harmless. (1) It is short and happens only once per waiter: the
 * waiter's store to {@code queued} is globally visible before its CAS executes (the CAS is a full
 * fence), so every release whose load of {@code queued} comes after that CAS sees the waiter. A
 * wake-up can only be lost by a release that overlapped the waiter's first look at the owner word,
 * and the releaser's store becomes visible as soon as its store buffer drains (nanoseconds). (2) A
 * waiter therefore never parks for good: it parks with a timeout and re-checks the lock, first
 * after {@link #FIRST_PARK_NANOS} (50 µs), then with the timeout doubled each time up to
 * {@link #MAX_PARK_NANOS} (1 ms), and the schedule restarts whenever it becomes the head of the
 * queue. A lost wake-up costs at most the first timeout; a waiter behind a lock held for long
 * wakes at most once a millisecond to look. Wake-ups that are not lost are immediate: a releaser
 * that sees {@code queued} unparks the head of the queue, and {@code unpark} itself synchronizes,
 * so the woken head sees the free lock.
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

  /** First timed park of a waiter: the bound on the delay a lost wake-up can cause. */
  static final long FIRST_PARK_NANOS = 50_000;

  /** Longest timed park of a waiter: how often a waiter behind a long-held lock re-checks it. */
  static final long MAX_PARK_NANOS = 1_000_000;

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

  /** The lock word: the holder, null when free. Taken by CAS, freed by a release store. */
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
   * Release store current → null (publishes the critical section to the next owner) after a plain
   * read that the caller is the owner: false, changing nothing, when it is not. No StoreLoad before
   * the read of {@code queued}: see the class comment for why a wake-up lost here is bounded.
   */
  private boolean tryRelease(Thread current) {
    if ((Thread) OWNER.getOpaque(this) != current) { // only the owner ever stores itself here
      return false;
    }
    OWNER.setRelease(this, null);
    if ((int) QUEUED.getAcquire(this) != 0) {
      LockSupport.unpark((Thread) HEAD.getAcquire(this)); // null-safe; a stale head wakes spuriously
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
      // Volatile store, then the CAS below reads the owner word; tryRelease stores the owner word
      // and then reads queued without a StoreLoad, hence the timed parks below.
      QUEUED.setVolatile(this, waiters.size());
    }
    boolean interrupted = false;
    long parkNanos = FIRST_PARK_NANOS;
    boolean wasHead = false;
    while (true) {
      boolean isHead = (Thread) HEAD.getVolatile(this) == current;
      if (isHead && OWNER.compareAndSet(this, null, current)) { // full fence; see the class comment
        break;
      }
      if (isHead && !wasHead) {
        parkNanos = FIRST_PARK_NANOS; // a new head's first look may have overlapped a release
      }
      wasHead = isHead;
      LockSupport.parkNanos(this, parkNanos);
      parkNanos = Math.min(parkNanos << 1, MAX_PARK_NANOS);
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
