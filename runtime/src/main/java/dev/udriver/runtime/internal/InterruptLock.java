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
 * <p><b>Biased to the dispatcher.</b> Almost every acquire is the dispatcher's, around an ISR. The
 * first thread that takes the lock for an ISR ({@link #acquireForIsr}) becomes its bias owner
 * ({@link #biasOwner}), when {@link Membarrier} is available ({@link #implementation()} says which
 * lock is in use). The bias owner takes and frees the lock with no locked instruction: it stores
 * its own flag {@link #biasHeld} (opaque) and then reads the lock word {@link #owner}, the waiter
 * count and the bias (acquire loads); it holds the lock when the word is free, nobody waits and
 * the bias is still its own, and it releases with a release store of its flag. Any other thread
 * takes the lock word by CAS, calls {@code membarrier(2)} and only then reads {@code biasHeld}:
 * it holds the lock when the flag is clear, else it waits for the flag to clear. This is Dekker's
 * pattern (each side stores its own word, then reads the other's) with the StoreLoad barrier moved
 * entirely to the rare side: the barrier runs on the bias owner's processor at some instant T
 * inside the call, after the CAS is visible everywhere. If the owner's store of its flag came
 * before T, the barrier drained it and the other thread reads it set; if it came after T, the
 * owner's following read of the lock word sees the CAS and the owner steps back (clears its flag,
 * wakes the word's holder, and queues like everyone else). Both cannot miss each other. The same
 * argument shows that an owner whose set flag the other thread saw reads the lock word again when
 * it clears the flag, and wakes that thread: no wake-up is lost there. The owner's store and its
 * read stay in program order in the compiled code: opaque and acquire accesses are not reordered
 * with each other by HotSpot, and the barrier takes care of the processor.
 *
 * <p>A membarrier costs microseconds (4–10 µs on the reference VM) where the CAS it saves costs
 * 5–7 ns, so the bias pays only while other threads rarely take the lock. Barriers are counted
 * in windows of {@value #REVOKE_AFTER_BARRIERS}: when the bias owner made fewer than {@value
 * #BIAS_ACQUIRES_PER_BARRIER} biased acquires per barrier during a window (a work item that takes
 * the lock on every run, a lock group served by two dispatchers), the bias is revoked for good and
 * everyone uses the lock word. A window, not the lifetime: a long biased past does not make the
 * lock pay a barrier per acquire for long once the pattern changes.
 * The bias owner is the only writer of {@code biasHeld}; the bias therefore moves to another
 * thread only when its owner has terminated, and never comes back once revoked.
 *
 * <p><b>Lock word.</b> The word is the holder, null when free. An acquire is one read of {@link
 * #queued} and one CAS of the word from null to the calling thread; a failing CAS that returns the
 * caller itself is the recursion check, at no extra cost. A release is a plain read of the word
 * (only its owner can have stored itself there, so a thread that reads itself holds the lock: the
 * release-without-acquire check), one release store of null ({@code setRelease}: a plain store on
 * x86, no locked instruction) and one read of {@code queued}.
 *
 * <p><b>Why a release store can lose a wake-up, and why the loss is bounded.</b> A waiter
 * announces itself (store to {@code queued}) and then looks at the owner word (its CAS); the
 * releaser frees the owner word (store) and then looks at {@code queued} (load): Dekker's pattern
 * without a StoreLoad barrier on the releaser's side, whose load of {@code queued} may be satisfied
 * while its store of null still sits in its store buffer. Both may read the other's old value: the
 * releaser wakes nobody, the waiter parks. The window is short (a store buffer drains in
 * nanoseconds) and only a waiter's first look after it announced itself can fall into it. A waiter
 * therefore never parks for good: it parks with a timeout and re-checks the lock, first after
 * {@link #FIRST_PARK_NANOS} (50 µs), then with the timeout doubled each time up to {@link
 * #MAX_PARK_NANOS} (1 ms), and the schedule restarts whenever it becomes the head of the queue. A
 * lost wake-up costs at most the first timeout. Wake-ups that are not lost are immediate: {@code
 * unpark} synchronizes, so the woken head sees the free lock.
 *
 * <p><b>Slow path.</b> Waiters queue in FIFO order ({@link #waiters}, guarded by its own monitor)
 * and park. Blocking acquires are fair: a thread, the bias owner included, that finds {@code
 * queued} non-zero does not take a fast path, and only the first queued thread may take a free
 * lock. Without that, a dispatcher running ISRs back to back re-takes the lock before a parked work
 * item wakes, and the work item starves while the ISR's buffer overflows. {@link #tryAcquire()}
 * barges, as it must return at once. Nothing is allocated on the fast paths; the queue allocates
 * only when it grows.
 */
final class InterruptLock {

  static final String RULE_NO_RECURSION = "INTERRUPT_LOCK_NO_RECURSION";
  static final String RULE_RELEASE_WITHOUT_ACQUIRE = "INTERRUPT_LOCK_RELEASE_WITHOUT_ACQUIRE";

  /** First timed park of a waiter: the bound on the delay a lost wake-up can cause. */
  static final long FIRST_PARK_NANOS = 50_000;

  /** Longest timed park of a waiter: how often a waiter behind a long-held lock re-checks it. */
  static final long MAX_PARK_NANOS = 1_000_000;

  /** Acquires that paid a membarrier before the bias may be judged not worth it. */
  static final int REVOKE_AFTER_BARRIERS = 16;

  /** Biased acquires one membarrier must be worth: about its cost over the CAS it saves. */
  static final long BIAS_ACQUIRES_PER_BARRIER = 1024;

  /** Spins of a thread waiting for the bias owner's flag to clear before it parks. */
  private static final int BIAS_WAIT_SPINS = 256;

  /**
   * Whether a bias may be taken. Read here, when the first lock is made (a device's creation), so
   * that the downcall's set-up does not fall into the first ISR.
   */
  private static final boolean BIASABLE = Membarrier.isAvailable();

  private static final VarHandle OWNER;
  private static final VarHandle QUEUED;
  private static final VarHandle HEAD;
  private static final VarHandle BIAS_OWNER;
  private static final VarHandle BIAS_HELD;
  private static final VarHandle BIAS_ACQUIRES;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      OWNER = lookup.findVarHandle(InterruptLock.class, "owner", Thread.class);
      QUEUED = lookup.findVarHandle(InterruptLock.class, "queued", int.class);
      HEAD = lookup.findVarHandle(InterruptLock.class, "head", Thread.class);
      BIAS_OWNER = lookup.findVarHandle(InterruptLock.class, "biasOwner", Thread.class);
      BIAS_HELD = lookup.findVarHandle(InterruptLock.class, "biasHeld", boolean.class);
      BIAS_ACQUIRES = lookup.findVarHandle(InterruptLock.class, "biasAcquires", long.class);
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

  /** The thread the lock is biased to; null when none. Written only by a holder of the lock word. */
  @SuppressWarnings("unused") // through BIAS_OWNER
  private volatile Thread biasOwner;

  /** Set for good once the bias did not pay; written only by a holder of the lock word. */
  private volatile boolean biasRevoked;

  /** The bias owner holds (or is taking) the lock without the word. Written by the bias owner only. */
  @SuppressWarnings("unused") // through BIAS_HELD
  private volatile boolean biasHeld;

  /** Acquires the bias owner made through its flag. Written by the bias owner only (opaque). */
  @SuppressWarnings("unused") // through BIAS_ACQUIRES
  private volatile long biasAcquires;

  /** Acquires that paid a membarrier in the current window; written only by a holder of the word. */
  private int barriersInWindow;
  /** The bias owner's acquire count when the window began; written only by a holder of the word. */
  private long biasAcquiresAtWindowStart;

  /** Biased acquires each barrier must be worth to keep the bias; 0: never revoke (tests). */
  private final long biasAcquiresPerBarrier;

  /** Waiting threads, oldest first. Guarded by itself. */
  private final ArrayDeque<Thread> waiters = new ArrayDeque<>(4);

  InterruptLock() {
    this(BIAS_ACQUIRES_PER_BARRIER);
  }

  /** @param biasAcquiresPerBarrier see {@link #BIAS_ACQUIRES_PER_BARRIER}; 0 keeps the bias */
  InterruptLock(long biasAcquiresPerBarrier) {
    this.biasAcquiresPerBarrier = biasAcquiresPerBarrier;
  }

  /** Which lock this JVM uses, and why: for diagnostics and the benchmark report. */
  static String implementation() {
    return BIASABLE
        ? "biased to the dispatcher thread, membarrier(2) on the other side"
        : "compare-and-set on every acquire (no membarrier: " + Membarrier.unavailabilityReason() + ")";
  }

  /**
   * The dispatcher's acquire around an ISR: the biased fast path on the bias owner; the first
   * thread to come here takes the bias (when membarrier is available), and so does the next one
   * after the owner terminated.
   */
  void acquireForIsr() {
    Thread current = Thread.currentThread();
    if ((Thread) BIAS_OWNER.getOpaque(this) == current && tryBiasedAcquire(current)) {
      return;
    }
    acquireForFramework();
    Thread bias = (Thread) BIAS_OWNER.getOpaque(this);
    if (bias != current
        && (bias == null || !bias.isAlive())
        && !biasRevoked
        && BIASABLE) {
      // Holding the word, and the previous owner (if any) is gone: nobody else writes the flag.
      BIAS_OWNER.setRelease(this, current);
    }
  }

  /** Blocks until the lock is free; throws when the calling thread already holds it. */
  void acquire(InterruptObject through) {
    Thread current = Thread.currentThread();
    if ((Thread) BIAS_OWNER.getOpaque(this) == current) {
      if ((boolean) BIAS_HELD.getOpaque(this)) { // only this thread writes its flag
        throw recursion(through);
      }
      if (tryBiasedAcquire(current)) {
        return;
      }
    }
    if (!tryFastAcquire(current)) {
      if ((Thread) OWNER.getOpaque(this) == current) { // opaque: a thread sees its own CAS
        throw recursion(through);
      }
      acquireSlow(current);
    }
  }

  /**
   * {@link #acquireForIsr} when it takes no wait: the bias owner's fast path or, where no thread will
   * ever own the bias again (revoked, or no membarrier), a CAS of a free word that nobody queues
   * for. False, changing nothing, when the caller must go through {@link #acquireForIsr}, which may
   * wait (and which takes a bias that nobody owns yet), and when the caller holds the lock already:
   * the caller checks {@link #isHeldByCurrentThread} then, before it waits. A dispatcher hands over
   * what it holds back before such a wait: see {@link Dispatcher#holdWorkItem}.
   */
  boolean tryAcquireForIsr() {
    Thread current = Thread.currentThread();
    Thread bias = (Thread) BIAS_OWNER.getOpaque(this);
    if (bias == current) {
      // A flag already set is a hold this thread kept from an earlier callback: not taken over
      // here, so that the caller finds it (isHeldByCurrentThread) instead of the ISR running
      // inside it. A plain load of the line the fast path writes next; no extra locked instruction.
      return !(boolean) BIAS_HELD.getOpaque(this) && tryBiasedAcquire(current);
    }
    if (bias != null || (BIASABLE && !biasRevoked)) {
      return false;
    }
    // No bias owner now or later, so no flag holder either: the word alone decides.
    return (int) QUEUED.getVolatile(this) == 0 && OWNER.compareAndSet(this, null, current);
  }

  /** The framework's own acquire, around callbacks: the caller never holds this lock already. */
  void acquireForFramework() {
    Thread current = Thread.currentThread();
    if ((Thread) BIAS_OWNER.getOpaque(this) == current && tryBiasedAcquire(current)) {
      return;
    }
    if (!tryFastAcquire(current)) {
      acquireSlow(current);
    }
  }

  /**
   * The bias owner's fast path: no locked instruction (see the class comment). Opaque store of the
   * flag, then acquire loads of the lock word, the waiter count and the bias, in that order: a
   * revoker clears the bias before it frees the word, so an owner that reads the word free also
   * reads the revoked bias.
   */
  private boolean tryBiasedAcquire(Thread current) {
    BIAS_HELD.setOpaque(this, true);
    if (OWNER.getAcquire(this) == null
        && (int) QUEUED.getAcquire(this) == 0
        && BIAS_OWNER.getAcquire(this) == current) {
      BIAS_ACQUIRES.setOpaque(this, (long) BIAS_ACQUIRES.getOpaque(this) + 1);
      return true;
    }
    clearBiasFlag();
    return false;
  }

  /** The bias owner leaves (or gives up entering): clears its flag and wakes whoever waits on it. */
  private void clearBiasFlag() {
    BIAS_HELD.setRelease(this, false);
    // A thread that holds the word may be waiting for the flag; the barrier it ran makes this
    // read see its word whenever it saw the flag set (see the class comment).
    Thread wordHolder = (Thread) OWNER.getAcquire(this);
    if (wordHolder != null) {
      LockSupport.unpark(wordHolder);
    }
    if ((int) QUEUED.getAcquire(this) != 0) {
      LockSupport.unpark((Thread) HEAD.getAcquire(this)); // null-safe; a stale head wakes spuriously
    }
  }

  /** Fair fast path: only while nobody is queued (volatile read), then a CAS null → current. */
  private boolean tryFastAcquire(Thread current) {
    if ((int) QUEUED.getVolatile(this) == 0 && OWNER.compareAndSet(this, null, current)) {
      awaitBiasOwnerOut(current);
      return true;
    }
    return false;
  }

  /**
   * Takes the lock if it is free, queued threads or not; false when any thread, the caller
   * included, holds it (or, for a thread that is not the bias owner, the bias owner is taking it).
   */
  boolean tryAcquire() {
    Thread current = Thread.currentThread();
    Thread bias = (Thread) BIAS_OWNER.getOpaque(this);
    if (bias == current) {
      if ((boolean) BIAS_HELD.getOpaque(this)) {
        return false; // this thread holds it already
      }
      BIAS_HELD.setOpaque(this, true);
      if (OWNER.getAcquire(this) == null && BIAS_OWNER.getAcquire(this) == current) {
        return true; // barging: the waiter count is not looked at
      }
      clearBiasFlag();
    }
    if (!OWNER.compareAndSet(this, null, current)) { // volatile CAS: acquire
      return false;
    }
    if (biasOwnerOut(current)) {
      return true;
    }
    releaseWord(); // the bias owner holds it: give the word back, waking whoever queued meanwhile
    return false;
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

  /** Releases the lock if the calling thread holds it; false, changing nothing, when it does not. */
  boolean releaseIfHeldByCurrentThread() {
    return tryRelease(Thread.currentThread());
  }

  /**
   * The bias owner clears its flag; any other holder frees the word: a release store current →
   * null (publishes the critical section to the next owner) after a plain read that the caller is
   * the owner. False, changing nothing, when the caller does not hold the lock.
   */
  private boolean tryRelease(Thread current) {
    if ((Thread) OWNER.getOpaque(this) == current) { // only the holder ever stores itself here
      releaseWord();
      return true;
    }
    if ((Thread) BIAS_OWNER.getOpaque(this) == current && (boolean) BIAS_HELD.getOpaque(this)) {
      clearBiasFlag();
      return true;
    }
    return false;
  }

  /** No StoreLoad before the read of {@code queued}: see the class comment for the bound. */
  private void releaseWord() {
    OWNER.setRelease(this, null);
    if ((int) QUEUED.getAcquire(this) != 0) {
      LockSupport.unpark((Thread) HEAD.getAcquire(this)); // null-safe; a stale head wakes spuriously
    }
  }

  boolean isHeldByCurrentThread() {
    Thread current = Thread.currentThread();
    return (Thread) OWNER.getOpaque(this) == current // opaque: a thread sees its own writes
        || ((Thread) BIAS_OWNER.getOpaque(this) == current && (boolean) BIAS_HELD.getOpaque(this));
  }

  /**
   * The thread that holds the lock, as far as a diagnostic can tell from another thread (racy; null
   * when free). The bias owner first: a thread that took the word may itself be waiting for it.
   */
  Thread holderForDiagnostics() {
    Thread bias = (Thread) BIAS_OWNER.getVolatile(this);
    if (bias != null && (boolean) BIAS_HELD.getVolatile(this)) {
      return bias;
    }
    return (Thread) OWNER.getVolatile(this);
  }

  boolean hasQueuedThreads() {
    return (int) QUEUED.getVolatile(this) != 0;
  }

  /** Whether the lock is biased to {@code thread} (tests and diagnostics). */
  boolean isBiasedTo(Thread thread) {
    return (Thread) BIAS_OWNER.getVolatile(this) == thread;
  }

  /**
   * The caller has just taken the lock word. When another thread owns the bias, the barrier and
   * then a wait for its flag to clear: it may be inside, having taken the lock before our CAS.
   */
  private void awaitBiasOwnerOut(Thread current) {
    Thread bias = (Thread) BIAS_OWNER.getAcquire(this);
    if (bias == null || bias == current) {
      return;
    }
    Membarrier.barrier();
    int spins = 0;
    boolean interrupted = false;
    while ((boolean) BIAS_HELD.getVolatile(this)) {
      if (spins < BIAS_WAIT_SPINS) {
        spins++;
        Thread.onSpinWait();
      } else {
        // The owner unparks the word's holder when it clears its flag; the timeout is a backstop.
        LockSupport.parkNanos(this, FIRST_PARK_NANOS);
        // Not interruptible: a pending interrupt would make every park return at once.
        interrupted |= Thread.interrupted();
      }
    }
    if (interrupted) {
      current.interrupt();
    }
    countBarrier();
  }

  /** {@link #awaitBiasOwnerOut} without the wait: false when the bias owner holds the lock. */
  private boolean biasOwnerOut(Thread current) {
    Thread bias = (Thread) BIAS_OWNER.getAcquire(this);
    if (bias == null || bias == current) {
      return true;
    }
    Membarrier.barrier();
    if ((boolean) BIAS_HELD.getVolatile(this)) {
      return false;
    }
    countBarrier();
    return true;
  }

  /** Holding the word: revokes the bias for good once barriers outweigh what the bias saves. */
  private void countBarrier() {
    if (biasAcquiresPerBarrier <= 0 || ++barriersInWindow < REVOKE_AFTER_BARRIERS) {
      return;
    }
    long biased = (long) BIAS_ACQUIRES.getOpaque(this);
    if ((biased - biasAcquiresAtWindowStart) < REVOKE_AFTER_BARRIERS * biasAcquiresPerBarrier) {
      biasRevoked = true;
      BIAS_OWNER.setRelease(this, null); // before the word is freed: see tryBiasedAcquire
    }
    barriersInWindow = 0;
    biasAcquiresAtWindowStart = biased;
  }


  private void acquireSlow(Thread current) {
    synchronized (waiters) {
      waiters.addLast(current);
      if (waiters.size() == 1) {
        HEAD.setVolatile(this, current);
      }
      // Volatile store, then the CAS below reads the owner word; releaseWord stores the owner word
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
    awaitBiasOwnerOut(current); // the word is ours: the bias owner's next fast path steps back
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
