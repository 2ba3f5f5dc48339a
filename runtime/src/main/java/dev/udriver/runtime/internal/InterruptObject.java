package dev.udriver.runtime.internal;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPriority;
import dev.udriver.annotation.ShareVector;
import dev.udriver.runtime.Device;
import dev.udriver.runtime.DeviceRuleViolation;
import dev.udriver.runtime.ExtendedPolicy;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptInfo;
import dev.udriver.runtime.InterruptRuleViolation;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.VerifierFinding;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptResource;
import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.PollableInterruptSource;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * An interrupt object: the runtime's {@link Interrupt}. It is the sink its source signals, the unit
 * the dispatcher serves and the unit the worker runs work items for.
 *
 * <p>Threads: {@link #signal} on any thread; {@link #serviceInterrupt} on the dispatcher only;
 * {@link #runWorkItem} on the worker only; {@link #connect}, {@link #disconnect} and resource
 * assignment on the thread that drives the device's lifecycle, under its lifecycle lock.
 *
 * <p>The ISR runs only while {@link #connected} is true, and that flag changes only under the
 * interrupt lock, which the ISR holds: enable and disable callbacks and the ISR never overlap.
 */
public final class InterruptObject extends PendingLine implements Interrupt, InterruptSink {

  static final String RULE_QUEUE_WITHOUT_WORK_ITEM = "QUEUE_WORK_ITEM_WITHOUT_CALLBACK";
  static final String RULE_DOUBLE_ENABLE = "INTERRUPT_DOUBLE_ENABLE";
  static final String RULE_ENABLE_DISABLE_UNDER_LOCK = "ENABLE_DISABLE_UNDER_INTERRUPT_LOCK";
  static final String RULE_LOCK_RELEASED_BY_CALLBACK = "INTERRUPT_LOCK_RELEASED_BY_CALLBACK";
  static final String RULE_LOCK_HELD_AFTER_CALLBACK = "INTERRUPT_LOCK_HELD_AFTER_CALLBACK";

  /** Linux {@code note_interrupt}: of each 100,000 ISR calls on a level line, 99,900 unclaimed is a storm. */
  static final int STORM_WINDOW = 100_000;
  static final int STORM_UNCLAIMED_LIMIT = 99_900;

  /** How long a disconnect lets the dispatcher serve interrupts raised before it. */
  private static final long PENDING_SERVE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /**
   * The bound on serving what the dispatcher read from a descriptor before the stop unwatched it:
   * a finite backlog, so only a hung ISR (reported by the watchdog) or a starved dispatcher on a
   * loaded machine reaches it; 100 ms dropped counts there.
   */
  private static final long UNWATCHED_SERVE_NANOS = TimeUnit.SECONDS.toNanos(10);
  private static final long PENDING_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
  /** How often a drain looks again when a work item's end did not notify it (see runWorkItem). */
  private static final long DRAIN_POLL_MILLIS = 1;

  private static final int WORK_IDLE = 0;
  private static final int WORK_QUEUED = 1;

  private static final VarHandle PENDING_SIGNALS;
  private static final VarHandle WORK_STATE;
  private static final VarHandle COUNTER;
  private static final VarHandle IN_SERVICE;
  private static final VarHandle ISR_THREAD;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PENDING_SIGNALS = lookup.findVarHandle(PendingLine.class, "pendingSignals", long.class);
      WORK_STATE = lookup.findVarHandle(InterruptObject.class, "workState", int.class);
      COUNTER = MethodHandles.arrayElementVarHandle(long[].class);
      IN_SERVICE = lookup.findVarHandle(InterruptObject.class, "inService", boolean.class);
      ISR_THREAD = lookup.findVarHandle(InterruptObject.class, "isrThread", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // Counter slots; single-writer slots are written with setOpaque, shared ones with getAndAdd.
  // Three groups, each on cache lines of its own (16 slots = 128 bytes apart): what the dispatcher
  // writes on every call, what the worker writes on every run, and the rare ones any thread writes.
  // One group shared a line with another before, and each run of the work item cost the
  // dispatcher's next call a miss on the line the worker had just written.
  private static final int SIGNALS = 0; // dispatcher
  private static final int ISR_CALLS = 1; // dispatcher
  private static final int CLAIMED = 2; // dispatcher
  private static final int UNCLAIMED = 3; // dispatcher
  private static final int COALESCED = 4; // dispatcher
  /**
   * Written by the caller whose queue request succeeded: one at a time, each one's write
   * happens-before the next one's (its push or the dispatcher's publication, the worker's take, the
   * worker's reset of the work state, the next successful CAS of that state), so a plain add
   * suffices.
   */
  private static final int WORK_QUEUED_COUNT = 5; // the successful queuer (the ISR, mostly)
  private static final int DROPPED = 6; // dispatcher
  /** Coalesced queue requests made under the interrupt lock (the ISR's): single writer at a time. */
  private static final int WORK_COALESCED_LOCKED = 7; // interrupt-lock holder
  private static final int WORK_RUN = 16; // worker
  private static final int WORK_COALESCED_COUNT = 32; // any thread
  private static final int FAILURES = 33; // any thread
  private static final int VERIFIER_FINDINGS = 34; // any thread
  private static final int COUNTERS = 35;

  private final DeviceCore device;
  private final InterruptConfig config;
  private final int messageNumber;
  private final InterruptLock lock;
  private final String displayName;
  private final HeldLock heldLock = this::releaseInterruptLock;
  private final long[] counters = new long[COUNTERS];
  private final InterruptConfig.Isr isr;
  /** The ISR call site this interrupt's ISR class was given (see {@link IsrCallSites}). */
  private final int isrSlot;
  private final Log2Histogram isrTime = new Log2Histogram(); // dispatcher
  private final Log2Histogram workItemLatency = new Log2Histogram(); // worker
  private final boolean verifier;
  private final long isrBudgetNanos;
  /**
   * The device's worker and its pool's timing and clock, fixed for the device's life: read on every
   * queue request and work item run, one field load each instead of a chain through the device.
   */
  private final WorkItemRunner worker;
  private final boolean timing;
  private final NanoClock clock;
  /**
   * Verifier: the thread running this interrupt's ISR, enable or disable callback, and which one
   * (the interrupt lock keeps those three apart); and the thread running its work item, which runs
   * beside them, without the lock. In one pair of fields, a disable callback running while the
   * work item ran overwrote the work item's entry, and the work item's use of the lock during the
   * drain that follows was then reported as outside the enable window.
   */
  private volatile Thread callbackThread;
  private volatile String callbackName;
  private volatile Thread workItemThread;
  private long overBudgetCalls; // dispatcher only
  /** The signals and result of the ISR call whose time its batch records at its end. */
  private long callAwaitingBatchTime; // dispatcher only
  private boolean claimedAwaitingBatchTime; // dispatcher only
  /**
   * The thread running this interrupt's ISR, while it runs (written by that thread only, so only it
   * can find itself here); the dispatcher whose batch that call belongs to, which holds back the work
   * item the ISR queues (null outside a batch); and whether an ISR outside a batch queued the work
   * item: the worker is woken after the ISR releases the interrupt lock, not while it still holds it.
   */
  private Thread isrThread;
  /** The signals the running ISR call serves (see {@link #signalsInThisCall()}); with isrThread. */
  private long isrSignals;
  private Dispatcher isrBatch;
  private boolean wakeWorkerAfterIsr;
  /** When the running ISR's call began, or its batch when the batch times it; dispatcher only. */
  private long isrStartNanos;

  // Lifecycle state: written by the lifecycle thread; read by the dispatcher under the lock.
  private volatile ExtendedPolicy policy;
  private volatile GrantedInterrupt granted;
  private volatile InterruptInfo info;
  private volatile boolean connected;
  private volatile boolean enabled;
  private volatile boolean forceDisconnected;
  private int isrMessageId;
  private boolean levelTriggered;

  // Dispatch.
  // pendingSignals, nextPending, dispatcher, priorityQueueIndex: see PendingLine.
  /**
   * True from just before the dispatcher takes the pending count until the ISR call for it ended:
   * a disconnect waits while it is set, so that signals the dispatcher took are served before the
   * disable callback instead of being dropped.
   */
  @SuppressWarnings("unused") // through IN_SERVICE
  private volatile boolean inService;
  private volatile boolean stormDisconnected;
  private int stormIsrCalls; // dispatcher only
  private int stormUnclaimed; // dispatcher only

  // Work item.
  @SuppressWarnings("unused") // through WORK_STATE
  private volatile int workState;
  InterruptObject nextWorkItem; // WorkItemRunner's ServiceStack link
  private final Object drainMonitor = new Object();
  private volatile boolean drainWaiting;
  /** Clock time of the queueWorkItemForIsr() that queued the work item; published by the push. */
  private long workQueuedAt;
  /** Set while and after the interrupt is disconnected: the work item can no longer be queued. */
  private volatile boolean runningDown;

  // Watchdog (see CallbackWatchdog): written around enable/disable calls and disconnect waits only.
  private volatile RunningCallback lifecycleCallback;
  private volatile DisconnectWait disconnectWait;
  /** The dispatcher waiting in the contended acquire for the ISR, or null (see IsrLockWait). */
  private volatile IsrLockWait isrLockWait;

  InterruptObject(DeviceCore device, InterruptConfig config, int messageNumber, InterruptLock lock) {
    this.device = device;
    this.config = config;
    this.messageNumber = messageNumber;
    this.lock = lock;
    String name = config.name().isEmpty() ? "" : "/" + config.name();
    this.displayName = device.name() + name + "#" + messageNumber;
    this.info = InterruptInfo.unassigned(messageNumber);
    this.policy = config.policy();
    this.isr = config.isr();
    this.isrSlot = IsrCallSites.slotOf(isr);
    this.verifier = device.settings().verifier();
    this.isrBudgetNanos = device.settings().isrBudgetNanos();
    this.worker = device.worker();
    this.timing = device.pool().timing();
    this.clock = device.clock();
  }

  // ---------------------------------------------------------------- signal → ISR (hot path)

  /**
   * Bit of the pending count: the dispatcher waits watching this object ({@link
   * Dispatcher#hasWork}), so the signal that makes the count leave zero only wakes it and pushes
   * nothing. Counts stay far below it ({@link #COUNT_MASK}).
   */
  static final long WATCHED = 1L << 62;

  static final long COUNT_MASK = WATCHED - 1;

  /**
   * Any thread: records {@code count} signals and hands the interrupt to the dispatcher once.
   *
   * <p>The count leaving zero offers the object: pushed onto the dispatcher's stack, or, when the
   * dispatcher watches it ({@link #WATCHED}, see {@link Dispatcher#hasWork}), left where it is: the
   * dispatcher reads this line while it waits and offers the object itself when the watch ends
   * ({@link #endWatch}). The wake is still needed, for a dispatcher that parked: its strategy
   * announces the park (volatile write) and then reads this count through {@code hasWork}; this
   * getAndAdd (a full fence) comes before the wake's read of that announcement, so either the
   * dispatcher sees the count or the wake sees the announcement and unparks it. While the
   * dispatcher spins, the wake costs one read of a line that changes only when it parks.
   */
  @Override
  public void signal(long count) {
    if (count <= 0) {
      return;
    }
    // Full fence (getAndAdd): the count is published before the dispatcher can take it.
    long before = (long) PENDING_SIGNALS.getAndAdd(this, count);
    if (before == 0) {
      dispatcher.schedule(this);
    } else if (before == WATCHED) {
      dispatcher.wake(); // the watching dispatcher takes it; see above
    }
  }

  /**
   * Dispatcher, while it waits: starts watching this object when nothing is pending (nor offered:
   * a zero count means that the object is in no list, as the dispatcher took every list it
   * served and a count taken leaves zero before the next offer). True when the watch started.
   */
  boolean tryWatch() {
    return PENDING_SIGNALS.compareAndSet(this, 0L, WATCHED);
  }

  /** Dispatcher, while it watches: whether signals arrived (volatile read of the watched line). */
  boolean hasWatchedSignals() {
    return ((long) PENDING_SIGNALS.getVolatile(this) & COUNT_MASK) != 0;
  }

  /**
   * Dispatcher: ends its watch. True when signals arrived while it watched: their signallers saw
   * the bit and pushed nothing, so the object is in no list and the caller must offer it, exactly
   * as the signal that made the count leave zero would have. After this, signals push again.
   */
  boolean endWatch() {
    long before = (long) PENDING_SIGNALS.getAndBitwiseAnd(this, ~WATCHED);
    return (before & WATCHED) != 0 && (before & COUNT_MASK) != 0;
  }

  /**
   * Whether a dispatcher may keep watching this object: connected, and served by it. Read after
   * {@link #tryWatch}'s full fence; a disconnect clears {@code connected} before it waits for the
   * bit to clear ({@link #awaitPendingSignals}), so either the dispatcher sees the object
   * disconnected and ends the watch at once, or the disconnect sees the bit and waits for it.
   */
  boolean watchableBy(Dispatcher candidate) {
    return connected && dispatcher == candidate;
  }

  /**
   * Dispatcher only: one ISR call for everything signalled since the last one.
   *
   * @param clock times this call with two reads of its own (a call outside a batch); null when
   *     the call is not timed here. The verifier times every call on its own regardless: its budget
   *     check needs each call's duration.
   * @param batch the dispatcher serving a batch, which wakes the worker once at the batch's end;
   *     null to wake it right after this call
   * @return true when an ISR ran that the batch times ({@code batch} timing on, this call not
   *     timed on its own): this object then stays in service until the batch calls {@link
   *     #finishBatchTimedCall} with its share of the batch's time
   */
  boolean serviceInterrupt(NanoClock clock, Dispatcher batch) {
    // Opaque store, ordered before the count is taken by the getAndSet's full fence: a disconnect
    // that reads a zero count afterwards also reads inService set.
    IN_SERVICE.setOpaque(this, true);
    boolean batchTimed = false;
    try {
      // Full fence: takes all published. Ends a watch too (the watcher then finds nothing owed).
      long signals = (long) PENDING_SIGNALS.getAndSet(this, 0L) & COUNT_MASK;
      batchTimed = signals != 0 && serve(signals, clock, batch);
      return batchTimed;
    } finally {
      if (!batchTimed) {
        // Release, and only after the statistics: a disconnect that reads it clear (volatile) sees
        // the ISR's effects and every count of this call, so statistics read after stop() add up.
        IN_SERVICE.setRelease(this, false);
      }
    }
  }

  /**
   * Dispatcher only, at the end of the batch in which {@link #serviceInterrupt} returned true:
   * records the call's share of the batch's time, then counts the call (statistics never show a
   * call without its time) and ends its service.
   */
  void finishBatchTimedCall(long nanos) {
    isrTime.record(nanos);
    countIsrCall(callAwaitingBatchTime, claimedAwaitingBatchTime);
    IN_SERVICE.setRelease(this, false); // after the record: see serviceInterrupt
  }

  /**
   * True when the ISR ran untimed and the batch times it (see {@link #serviceInterrupt}). What is
   * rare here (the verifier, a storm window's end, a contended lock, a wake, a dropped call) is in
   * methods of its own: the common path stays small enough for the JIT to inline into the
   * dispatcher's loop.
   */
  private boolean serve(long signals, NanoClock clock, Dispatcher batch) {
    if (clock == null && (verifier || levelTriggered)) {
      clock = ownClock(batch);
    }
    long startNanos = clock != null ? clock.nanoTime() : 0L;
    isrStartNanos = clock != null ? startNanos : batch != null ? batch.batchStartNanos() : 0L;
    add(SIGNALS, signals);
    if (!lock.tryAcquireForIsr()) {
      acquireContendedForIsr(batch);
    }
    boolean served = connected;
    boolean claimed = false;
    try {
      if (served) {
        isrThread = Thread.currentThread();
        isrSignals = signals; // one plain store: read back only by this thread, in the ISR
        isrBatch = batch;
        claimed = JfrEvents.isrEnabled() ? callIsrRecorded(signals) : callIsr();
      }
    } finally {
      isrThread = null;
      isrBatch = null;
      releaseAfterCallback("OnInterruptIsr");
    }
    if (verifier && served) {
      // Off without the verifier: the scan reads every other interrupt's lock on each ISR call.
      // releaseLockHeldBeforeIsr keeps a lock left held from deadlocking this thread regardless.
      device.releaseInterruptLocksLeftHeld(this, "OnInterruptIsr");
    }
    if (wakeWorkerAfterIsr) {
      wakeWorkerAfterIsr();
    }
    if (!served) {
      add(DROPPED, signals); // arrived while disconnecting: WDF treats them as spurious
      return false;
    }
    if (clock != null) {
      recordOwnTime(clock, startNanos);
    }
    boolean batchTimed = clock == null && batch != null && batch.timing();
    if (batchTimed) {
      // Counted with its time, at the batch's end (finishBatchTimedCall).
      callAwaitingBatchTime = signals;
      claimedAwaitingBatchTime = claimed;
    } else {
      countIsrCall(signals, claimed);
    }
    afterIsr(claimed, batch);
    return batchTimed;
  }

  /**
   * The clock of a call not timed by its batch that must still be timed on its own, or null: the
   * verifier's budget needs each call's own time, even when statistics do not; and a level line's
   * call that closes a storm window and may report a storm is timed and counted on its own, so the
   * report never runs ahead of the statistics (one clock read per window).
   */
  private NanoClock ownClock(Dispatcher batch) {
    if (verifier) {
      return batch != null && batch.timing() ? batch.clock() : NanoClock.SYSTEM;
    }
    if (levelTriggered && stormIsrCalls == STORM_WINDOW - 1 && batch != null && batch.timing()) {
      return batch.clock();
    }
    return null;
  }

  /** The ISR's lock is held elsewhere: waits for it (the dispatcher may wait now). */
  private void acquireContendedForIsr(Dispatcher batch) {
    if (lock.isHeldByCurrentThread()) {
      releaseLockHeldBeforeIsr(); // waiting would be waiting for this thread itself
    }
    if (batch != null) {
      batch.publishHeldWorkItems(); // this thread may wait now: see Dispatcher.holdWorkItem
    }
    isrLockWait = new IsrLockWait(Thread.currentThread(), System.nanoTime()); // for the watchdog
    lock.acquireForIsr();
    isrLockWait = null;
  }

  private void wakeWorkerAfterIsr() {
    wakeWorkerAfterIsr = false;
    worker.wake(); // after the release: the work item starts with the lock free
  }

  /** A call timed on its own: its time, and the verifier's budget. */
  private void recordOwnTime(NanoClock clock, long startNanos) {
    long took = clock.nanoTime() - startNanos;
    isrTime.record(took);
    if (verifier && took > isrBudgetNanos && !inWarmUp(clock)) {
      isrOverBudget(took);
    }
  }

  private void countIsrCall(long signals, boolean claimed) {
    add(ISR_CALLS, 1);
    add(claimed ? CLAIMED : UNCLAIMED, 1);
    add(COALESCED, signals - 1);
  }

  /**
   * Set by driver code that took the device lock while holding this interrupt's lock, with the
   * verifier off: an ISR that took it checks on return for a hold left behind. Written and read
   * under the interrupt lock, so a plain field; one load per ISR call when the lock is not used.
   */
  private boolean deviceLockTakenUnderLock;

  void deviceLockTakenUnderInterruptLock() {
    deviceLockTakenUnderLock = true;
  }

  private boolean callIsr() {
    boolean deviceLockHeldBefore = false;
    if (verifier) {
      enterCallback("OnInterruptIsr");
      // A deterministic simulation runs ISRs on the test's thread, which may hold the device lock.
      deviceLockHeldBefore = device.deviceLockHeldByCurrentThread();
    } else if (deviceLockTakenUnderLock) {
      deviceLockTakenUnderLock = false; // set by a locked region before this call, not by the ISR
    }
    try {
      return IsrCallSites.call(isrSlot, isr, this, isrMessageId);
    } catch (Throwable failure) {
      callbackFailed("OnInterruptIsr", failure);
      return false;
    } finally {
      if (verifier) {
        exitCallback();
        if (!deviceLockHeldBefore) {
          device.releaseDeviceLockLeftHeld(this, "OnInterruptIsr");
        }
      } else if (deviceLockTakenUnderLock) {
        deviceLockTakenUnderLock = false;
        device.releaseDeviceLockLeftHeld(this, "OnInterruptIsr");
      }
    }
  }

  /** The ISR call inside a Flight Recorder event; only while a recording enables it. */
  private boolean callIsrRecorded(long signals) {
    JfrEvents.IsrExecution event = new JfrEvents.IsrExecution();
    event.begin();
    boolean claimed = callIsr();
    event.interrupt = displayName;
    event.messageId = isrMessageId;
    event.claimed = claimed;
    event.signals = signals;
    event.commit();
    return claimed;
  }

  /**
   * On the real clock the first {@value #BUDGET_WARM_UP_CALLS} ISR calls are not held to the
   * budget: they run interpreted and load classes, which says nothing about the ISR. A virtual
   * clock measures only what the test says an ISR took, so every call counts.
   */
  private boolean inWarmUp(NanoClock clock) {
    return clock == NanoClock.SYSTEM && (long) COUNTER.getOpaque(counters, ISR_CALLS) < BUDGET_WARM_UP_CALLS;
  }

  static final int BUDGET_WARM_UP_CALLS = 100;

  /** Reports the first over-budget call and then each 2^k-th, so a slow ISR does not flood. */
  private void isrOverBudget(long took) {
    long calls = ++overBudgetCalls;
    if ((calls & (calls - 1)) == 0) {
      report(
          VerifierFinding.ISR_OVER_BUDGET,
          "OnInterruptIsr",
          "OnInterruptIsr took " + took + " ns, over the budget of " + isrBudgetNanos + " ns"
              + " (ISRs should not run longer than 25 µs; defer work to the work item)"
              + (calls > 1 ? "; " + calls + " calls over budget so far" : ""),
          new Throwable("dispatcher after the ISR returned"));
    } else {
      increment(VERIFIER_FINDINGS);
    }
  }

  private void afterIsr(boolean claimed, Dispatcher batch) {
    if (levelTriggered && noteLevelInterrupt(claimed, batch)) {
      return; // storm: the line was disconnected, do not re-arm it
    }
    GrantedInterrupt current = granted;
    if (current != null) {
      try {
        current.source().afterIsr(claimed);
      } catch (Throwable failure) {
        device.serviceFailed(this + ": interrupt source failed to re-arm", failure);
      }
    }
  }

  /** Linux genirq's spurious-interrupt accounting; true when this call disabled the line. */
  private boolean noteLevelInterrupt(boolean claimed, Dispatcher batch) {
    stormIsrCalls++;
    if (!claimed) {
      stormUnclaimed++;
    }
    if (stormIsrCalls < STORM_WINDOW) {
      return false;
    }
    boolean storm = stormUnclaimed > STORM_UNCLAIMED_LIMIT;
    long unclaimed = stormUnclaimed;
    stormIsrCalls = 0;
    stormUnclaimed = 0;
    if (storm) {
      if (batch != null) {
        batch.publishHeldWorkItems(); // the lock below may make this thread wait
      }
      disconnectAfterStorm();
      device.listener().interruptStorm(this, unclaimed, STORM_WINDOW);
    }
    return storm;
  }

  private void disconnectAfterStorm() {
    lock.acquireForFramework();
    try {
      connected = false;
      stormDisconnected = true; // still enabled at the device: D0 exit runs the disable callback
    } finally {
      lock.releaseForFramework();
    }
    GrantedInterrupt current = granted;
    if (current != null) {
      disconnectSource(current);
    }
  }

  /** After a framework-held callback: the lock must still be held by this thread, and only once. */
  private void releaseAfterCallback(String callback) {
    if (!lock.releaseIfHeldByCurrentThread()) {
      InterruptRuleViolation violation =
          new InterruptRuleViolation(
              toString(),
              RULE_LOCK_RELEASED_BY_CALLBACK,
              callback + " released the interrupt lock that the framework holds for it");
      if (verifier) {
        report(VerifierFinding.LOCK_RELEASED_BY_CALLBACK, callback, violation.getMessage(), violation);
      }
      callbackFailed(callback, violation);
    }
  }

  /**
   * The dispatcher is about to take this interrupt's lock for its ISR and finds that it holds it
   * already: a callback that ran earlier on this thread returned holding it (with the verifier
   * off, nothing checks that after each ISR call; see {@link
   * DeviceCore#releaseInterruptLocksLeftHeld}). Waiting would mean waiting for itself, for ever,
   * and with it every stop(). Instead the hold is released on the driver's behalf, reported as a
   * contained failure of this interrupt's {@code OnInterruptIsr} (and a finding with the verifier
   * on), and the ISR runs as usual. Off the fast path: only when the lock could not be taken at
   * once.
   */
  private void releaseLockHeldBeforeIsr() {
    lock.releaseForFramework();
    InterruptRuleViolation violation =
        new InterruptRuleViolation(
            toString(),
            RULE_LOCK_HELD_AFTER_CALLBACK,
            "thread " + Thread.currentThread().getName() + " already held the interrupt lock of "
                + this + " when its OnInterruptIsr was due: a callback that ran earlier on this"
                + " thread returned holding it (the verifier names the callback); the runtime"
                + " released it");
    if (verifier) {
      report(VerifierFinding.LOCK_HELD_AFTER_CALLBACK, "OnInterruptIsr", violation.getMessage(), violation);
    }
    callbackFailed("OnInterruptIsr", violation);
  }

  /**
   * {@code callback} of this interrupt returned holding the lock of {@code other}, which the
   * runtime released for it: a contained failure of the callback, and a finding with the verifier
   * on.
   */
  void lockLeftHeld(String callback, InterruptObject other) {
    InterruptRuleViolation violation =
        new InterruptRuleViolation(
            toString(),
            RULE_LOCK_HELD_AFTER_CALLBACK,
            callback + " of " + this + " returned holding the interrupt lock of " + other
                + "; the runtime released it");
    if (verifier) {
      report(VerifierFinding.LOCK_HELD_AFTER_CALLBACK, callback, violation.getMessage(), violation);
    }
    callbackFailed(callback, violation);
  }

  // ---------------------------------------------------------------- work item

  @Override
  public boolean queueWorkItemForIsr() {
    if (config.workItem() == null) {
      InterruptRuleViolation violation =
          new InterruptRuleViolation(
              toString(),
              RULE_QUEUE_WITHOUT_WORK_ITEM,
              "queueWorkItemForIsr() but the interrupt has no OnInterruptWorkItem (WDF bug-checks)");
      if (verifier) {
        report(VerifierFinding.QUEUE_WITHOUT_WORK_ITEM, callbackOnCurrentThread(), violation.getMessage(), violation);
      }
      throw violation;
    }
    if (runningDown) {
      return false; // WDF's TryToEnqueue during rundown: refused, so that a drain can finish
    }
    // Already queued and not started: one acquire load, no failing CAS.
    if ((int) WORK_STATE.getAcquire(this) == WORK_QUEUED
        || !WORK_STATE.compareAndSet(this, WORK_IDLE, WORK_QUEUED)) {
      // No atomic read-modify-write either: the ISR holds the interrupt lock, which serializes
      // every writer of the locked slot; other callers count atomically in their own slot.
      if (lock.isHeldByCurrentThread()) {
        add(WORK_COALESCED_LOCKED, 1);
      } else {
        increment(WORK_COALESCED_COUNT);
      }
      return false;
    }
    add(WORK_QUEUED_COUNT, 1); // before the push, which publishes it; see WORK_QUEUED_COUNT
    boolean fromIsr = isrThread == Thread.currentThread();
    if (timing) {
      // Plain: the push below publishes it to the worker. From the ISR, the time its call (or its
      // batch) began, which the dispatcher read already: no clock read on the dispatcher here.
      workQueuedAt = fromIsr ? isrStartNanos : clock.nanoTime();
    }
    Dispatcher batch = fromIsr ? isrBatch : null;
    if (batch != null) {
      batch.holdWorkItem(this, worker); // published with the batch's others, woken once
    } else if (fromIsr) {
      worker.scheduleWithoutWake(this);
      wakeWorkerAfterIsr = true;
    } else {
      worker.schedule(this);
    }
    return true;
  }

  /** Worker only. */
  void runWorkItem() {
    // Cleared before the callback, as WDF's FxSystemWorkItem does: a queue request made while the
    // work item runs returns true and schedules one more run.
    WORK_STATE.setVolatile(this, WORK_IDLE);
    long latency = 0;
    if (timing) {
      latency = clock.nanoTime() - workQueuedAt;
      workItemLatency.record(latency);
    }
    JfrEvents.WorkItemExecution event = null;
    if (JfrEvents.workItemEnabled()) {
      event = new JfrEvents.WorkItemExecution();
      event.begin();
    }
    try {
      if (config.automaticSerialization()) {
        device.lockForWorkItem(this); // the framework's hold: unchecked, never recursive here
        try {
          callWorkItem();
        } finally {
          releaseDeviceLockAfterWorkItem();
        }
      } else {
        // Deterministic mode runs work items on the caller's thread, which may hold the lock itself.
        boolean heldBefore = worker.isManual() && device.deviceLockHeldByCurrentThread();
        callWorkItem();
        if (!heldBefore) {
          device.releaseDeviceLockLeftHeldByWorkItem(this);
        }
      }
    } finally {
      if (event != null) {
        event.interrupt = displayName;
        event.queueLatency = latency;
        event.commit();
      }
      // Release store, no StoreLoad before the read of drainWaiting: a drain that starts right
      // now may miss this notification, and its timed wait bounds that (DRAIN_POLL_MILLIS).
      COUNTER.setRelease(counters, WORK_RUN, read(WORK_RUN) + 1);
      if (drainWaiting) {
        notifyDrainIfDone(); // out of line: keeps this method small enough to inline
      }
    }
  }

  private void notifyDrainIfDone() {
    if (workItemsInFlight() == 0) {
      synchronized (drainMonitor) {
        drainMonitor.notifyAll();
      }
    }
  }

  /** Manual mode: an automatically serialized work item, and the thread serving holds the device lock. */
  boolean waitsForDeviceLockHeldHere() {
    return config.automaticSerialization() && device.deviceLockHeldByCurrentThread();
  }

  /** After an automatically serialized work item: the framework's hold must still be there. */
  private void releaseDeviceLockAfterWorkItem() {
    if (device.deviceLock().isHeldByCurrentThread()) {
      device.deviceLock().unlock();
      return;
    }
    DeviceRuleViolation violation =
        new DeviceRuleViolation(
            device.name(),
            VerifierFinding.DEVICE_LOCK_RELEASED_BY_CALLBACK,
            "OnInterruptWorkItem of " + this + " released the device lock that the framework holds for it"
                + " (automatic serialization)");
    if (verifier) {
      report(VerifierFinding.DEVICE_LOCK_RELEASED_BY_CALLBACK, "OnInterruptWorkItem", violation.getMessage(), violation);
    }
    callbackFailed("OnInterruptWorkItem", violation);
  }

  /** {@code callback} returned holding the device lock, which the runtime released for it. */
  void deviceLockLeftHeld(String callback) {
    DeviceRuleViolation violation =
        new DeviceRuleViolation(
            device.name(),
            VerifierFinding.DEVICE_LOCK_HELD_AFTER_CALLBACK,
            callback + " of " + this + " returned holding the lock of device " + device.name()
                + "; the runtime released it");
    if (verifier) {
      report(VerifierFinding.DEVICE_LOCK_HELD_AFTER_CALLBACK, callback, violation.getMessage(), violation);
    }
    callbackFailed(callback, violation);
  }

  private void callWorkItem() {
    if (verifier) {
      workItemThread = Thread.currentThread();
    }
    try {
      config.workItem().onInterruptWorkItem(this, device.view());
    } catch (Throwable failure) {
      callbackFailed("OnInterruptWorkItem", failure);
    } finally {
      if (verifier) {
        workItemThread = null;
      }
    }
    if (lock.isHeldByCurrentThread()) {
      lock.releaseForFramework();
      InterruptRuleViolation violation =
          new InterruptRuleViolation(
              toString(),
              RULE_LOCK_HELD_AFTER_CALLBACK,
              "OnInterruptWorkItem returned holding the interrupt lock; the runtime released it");
      if (verifier) {
        report(VerifierFinding.LOCK_HELD_AFTER_CALLBACK, "OnInterruptWorkItem", violation.getMessage(), violation);
      }
      callbackFailed("OnInterruptWorkItem", violation);
    }
    if (verifier) {
      // Verifier only: the scan reads every other interrupt's lock, lines their dispatchers write.
      device.releaseInterruptLocksLeftHeld(this, "OnInterruptWorkItem");
    }
  }

  /** Stops the dispatcher watching a pollable source, then disconnects the source. */
  private void disconnectSource(GrantedInterrupt current) {
    stopWatching(current);
    current.source().disconnect();
  }

  /**
   * Stops the dispatcher watching a pollable source's descriptor: once this returns it reads no
   * more counts from it, and those it read were signalled to this object.
   */
  private boolean stopWatching(GrantedInterrupt current) {
    if (current.source() instanceof PollableInterruptSource pollable
        && dispatcher.waitStrategy().supportsPollableSources()) {
      dispatcher.unregisterPollable(pollable);
      return true;
    }
    return false;
  }

  /**
   * Waits until the dispatcher has taken every pending signal, or {@code timeoutNanos} passed. Not
   * on the dispatcher itself, which would wait for itself.
   */
  private void awaitPendingSignals(long timeoutNanos, boolean unwatched) {
    Dispatcher serving = dispatcher;
    if (serving == null || serving.isCurrentThread()) {
      return;
    }
    if (serving.isManual()) {
      // Deterministic mode: no dispatcher thread will take them; serve (or drop) them here, once
      // out of the dispatcher's pending stack (see Dispatcher.takeOutManually).
      serving.takeOutManually(this);
      serviceInterrupt(device.pool().timing() ? device.clock() : null, null);
      return;
    }
    // Signals only, while connected: the dispatcher may watch the object meanwhile. Disconnected
    // ({@code unwatched}): also until no watch is left (see watchableBy), so that no dispatcher
    // watches the object when its resources, and with them its dispatcher, are assigned again. The
    // watcher ends its watch when it next serves; the wake makes that soon if it parked.
    long mask = unwatched ? -1L : COUNT_MASK;
    long start = System.nanoTime();
    long pending;
    while ((((pending = (long) PENDING_SIGNALS.getVolatile(this)) & mask) != 0
            || (boolean) IN_SERVICE.getVolatile(this))
        && System.nanoTime() - start < timeoutNanos) {
      if ((pending & WATCHED) != 0) {
        serving.wake();
      }
      LockSupport.parkNanos(PENDING_POLL_NANOS);
    }
  }

  /**
   * Work items queued and not finished: successful queue requests minus completed runs, two
   * single-writer counts instead of a shared one that both sides would update atomically. Runs are
   * read first, so a run and a queue request racing this read make it too high, never too low.
   */
  private long workItemsInFlight() {
    long run = (long) COUNTER.getAcquire(counters, WORK_RUN);
    return (long) COUNTER.getAcquire(counters, WORK_QUEUED_COUNT) - run;
  }

  /** Waits until no work item of this interrupt is queued or running (except one that waits). */
  private void awaitWorkItemsDrained() {
    int self = device.worker().isWorkerThread() ? 1 : 0; // disable() from this work item itself
    if (workItemsInFlight() <= self) {
      return;
    }
    if (self == 1) {
      return; // the work items queued behind this one cannot run until it returns
    }
    if (device.worker().isManual()) {
      // Deterministic mode: no worker thread; run what is queued here, as the drain would wait for.
      while (workItemsInFlight() > 0 && device.runWorkItems() > 0) {
        // keep draining
      }
      return;
    }
    drainWaiting = true;
    device.drainStarted();
    boolean interrupted = false;
    try {
      synchronized (drainMonitor) {
        while (workItemsInFlight() > 0) {
          try {
            drainMonitor.wait(DRAIN_POLL_MILLIS);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
    } finally {
      drainWaiting = false;
      device.drainEnded();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // ---------------------------------------------------------------- lifecycle (lifecycle thread)

  /** Prepare hardware: takes the resource (or none), applying the policy to what it reports. */
  void assignResource(GrantedInterrupt resource) {
    ExtendedPolicy applied = policy != null ? policy : ExtendedPolicy.MACHINE_DEFAULT;
    priorityQueueIndex = Dispatcher.queueIndex(applied.priority());
    granted = resource;
    boolean messageSignaled =
        resource != null && resource.resource() instanceof InterruptResource.Message;
    // The policy decides the dispatcher; the object is not connected yet, so none serves it now.
    dispatcher =
        device.pool().dispatcherFor(applied, messageSignaled, messageNumber, device.deviceIndex());
    if (resource == null) {
      info = InterruptInfo.unassigned(messageNumber);
      levelTriggered = false;
      isrMessageId = 0;
      return;
    }
    InterruptResource assigned = resource.resource();
    boolean message = assigned instanceof InterruptResource.Message;
    levelTriggered =
        assigned instanceof InterruptResource.Line line
            && line.trigger() == InterruptResource.Trigger.LEVEL;
    isrMessageId = message ? messageNumber : 0;
    long affinity =
        applied.policy() == AffinityPolicy.SPECIFIED_PROCESSORS
            ? applied.targetProcessorSet()
            : assigned.affinity();
    info =
        new InterruptInfo(
            affinity,
            messageNumber,
            assigned.vector(),
            0,
            levelTriggered ? InterruptInfo.Mode.LEVEL_SENSITIVE : InterruptInfo.Mode.LATCHED,
            InterruptInfo.Polarity.UNKNOWN,
            message,
            shareDisposition(assigned),
            applied.group());
  }

  private InterruptInfo.ShareDisposition shareDisposition(InterruptResource assigned) {
    boolean shareable =
        assigned instanceof InterruptResource.Line line
            && line.shareable()
            && config.shareVector() != ShareVector.FALSE;
    return shareable
        ? InterruptInfo.ShareDisposition.SHARED
        : InterruptInfo.ShareDisposition.DEVICE_EXCLUSIVE;
  }

  /** Release hardware: WDF's RevokeResources zeroes the info except the message number. */
  void revokeResource() {
    granted = null;
    info = InterruptInfo.unassigned(messageNumber);
  }

  void setForceDisconnected(boolean value) {
    forceDisconnected = value;
  }

  boolean isEnabled() {
    return enabled;
  }

  /** Disconnected by the storm detector while still enabled at the device. */
  boolean isStormDisconnected() {
    return stormDisconnected;
  }

  /**
   * D0 entry for this object: connects the source, then runs the enable callback under the lock.
   * Objects without a resource, or disconnected by the driver, are skipped.
   *
   * @return the enable callback's failure, after the source was disconnected again (an error as
   *     well as an exception: either leaves the interrupt disabled); null when it succeeded
   */
  Throwable connect() {
    GrantedInterrupt current = granted;
    if (current == null || forceDisconnected || enabled) {
      return null;
    }
    runningDown = false;
    stormDisconnected = false;
    stormIsrCalls = 0; // the dispatcher is not serving this object while it is disconnected
    stormUnclaimed = 0;
    Throwable failure = null;
    // A thread that holds another interrupt lock already (a misuse of its own) is not blamed on
    // the enable callback below.
    boolean checkLocksLeftHeld = config.enable() != null && !device.holdsAnyInterruptLock();
    boolean checkDeviceLockLeftHeld = config.enable() != null && !device.deviceLockHeldByCurrentThread();
    // Take the lock, then connect the source, so that an interrupt raised from the moment of
    // connection (a level line already asserted, or the enable callback itself raising one) waits
    // for the lock and finds the object connected. Connecting before taking the lock let the
    // dispatcher take the lock first, find the object not yet connected and drop the signal: a
    // level line asserted at start was then never served.
    lock.acquire(this);
    try {
      current.source().connect(this);
      if (current.source() instanceof PollableInterruptSource pollable) {
        dispatcher.registerPollable(this, pollable);
      }
      InterruptConfig.Enable enable = config.enable();
      if (enable != null) {
        if (verifier) {
          enterCallback("OnInterruptEnable");
        }
        lifecycleCallback = running("OnInterruptEnable");
        try {
          enable.onInterruptEnable(this, device.view());
        } finally {
          lifecycleCallback = null;
          if (verifier) {
            exitCallback();
          }
        }
      }
      connected = true;
      enabled = true;
    } catch (Throwable e) {
      failure = e;
    } finally {
      releaseAfterCallback("OnInterruptEnable");
    }
    if (checkLocksLeftHeld) {
      device.releaseInterruptLocksLeftHeld(this, "OnInterruptEnable");
    }
    if (checkDeviceLockLeftHeld) {
      device.releaseDeviceLockLeftHeld(this, "OnInterruptEnable");
    }
    if (failure != null) {
      disconnectSource(current);
    }
    return failure;
  }

  /**
   * D0 exit for this object: the dispatcher stops watching a pollable source, the signals it read
   * are served, then the disable callback runs under the lock (skipped after surprise removal), the
   * source is disconnected and the work item drained.
   *
   * <p>A pollable source's descriptor is unwatched first, while the interrupt still accepts
   * signals: every count the dispatcher read from it reaches the ISR (or, if the bounded wait for
   * it runs out, is counted as dropped), and counts it did not read stay in the kernel object (an
   * eventfd counter, a UIO count, a GPIO FIFO) for the next connection, as a masked MSI-X vector's
   * pending bit does. Unwatching it after the interrupt stopped accepting signals dropped every
   * count read in between.
   */
  void disconnect(boolean surpriseRemoved) {
    if (!enabled && !connected) {
      return;
    }
    boolean sourceConnected = !stormDisconnected; // the storm detector disconnected it already
    GrantedInterrupt current = granted;
    boolean unwatched = current != null && sourceConnected && stopWatching(current);
    // Interrupts raised before the stop are in flight: let the dispatcher serve them before the
    // disable callback, as WDF completes in-flight ISRs, and its re-arm of the source before the
    // source disconnects. A level line that keeps interrupting never runs dry, so the wait is
    // bounded; an unwatched descriptor adds nothing, so its bound is only against a hung ISR. Not
    // when this thread holds the lock the ISR needs: acquiring it below reports that at once.
    if (unwatched && !lock.isHeldByCurrentThread()) {
      awaiting(DisconnectWait.Kind.ISR_IN_SERVICE);
      try {
        awaitPendingSignals(UNWATCHED_SERVE_NANOS, false);
      } finally {
        disconnectWait = null;
      }
    } else {
      awaitPendingSignals(PENDING_SERVE_NANOS, false);
    }
    Throwable failure = null;
    boolean checkLocksLeftHeld = config.disable() != null && !device.holdsAnyInterruptLock();
    boolean checkDeviceLockLeftHeld = config.disable() != null && !device.deviceLockHeldByCurrentThread();
    awaiting(DisconnectWait.Kind.INTERRUPT_LOCK);
    try {
      lock.acquire(this);
    } finally {
      disconnectWait = null;
    }
    try {
      connected = false;
      InterruptConfig.Disable disable = config.disable();
      if (enabled && !surpriseRemoved && disable != null) {
        if (verifier) {
          enterCallback("OnInterruptDisable");
        }
        lifecycleCallback = running("OnInterruptDisable");
        try {
          disable.onInterruptDisable(this, device.view());
        } finally {
          lifecycleCallback = null;
          if (verifier) {
            exitCallback();
          }
        }
      }
    } catch (Throwable e) {
      failure = e;
    } finally {
      enabled = false;
      releaseAfterCallback("OnInterruptDisable");
    }
    if (checkLocksLeftHeld) {
      device.releaseInterruptLocksLeftHeld(this, "OnInterruptDisable");
    }
    if (checkDeviceLockLeftHeld) {
      device.releaseDeviceLockLeftHeld(this, "OnInterruptDisable");
    }
    if (current != null && sourceConnected) {
      current.source().disconnect(); // no longer watched: see above
    }
    // The source is silent now; what is still pending is dropped by the dispatcher. Waiting for
    // that keeps a stale signal from reaching the ISR of the next connection.
    awaiting(DisconnectWait.Kind.ISR_IN_SERVICE);
    awaitPendingSignals(Long.MAX_VALUE, true);
    // From here the work item cannot be queued again, not even by itself: otherwise a work item
    // that re-queues itself on every run would keep the drain, and the device stop, from ending.
    runningDown = true;
    awaiting(DisconnectWait.Kind.WORK_ITEMS);
    try {
      awaitWorkItemsDrained();
    } finally {
      disconnectWait = null;
    }
    if (failure != null) {
      callbackFailed("OnInterruptDisable", failure); // reported; teardown continues
    }
  }

  // ---------------------------------------------------------------- watchdog (its thread)

  /** An enable or disable callback under way: which, on which thread, since when (System.nanoTime). */
  record RunningCallback(String name, Thread thread, long startNanos) {}

  /**
   * A dispatcher waiting for this interrupt's lock to run its ISR, and since when: published on the
   * contended acquire only, which waits anyway; the uncontended one pays nothing.
   */
  record IsrLockWait(Thread dispatcher, long sinceNanos) {}

  /** A disconnect waiting for a callback of this interrupt to end, and since when. */
  record DisconnectWait(Kind kind, Thread waiter, long sinceNanos) {
    enum Kind {
      /** For the interrupt lock, before the disable callback: held by the ISR, or a locked region. */
      INTERRUPT_LOCK,
      /** For the ISR call serving signals the dispatcher took. */
      ISR_IN_SERVICE,
      /** For the work item to finish. */
      WORK_ITEMS
    }
  }

  /**
   * The thread running this interrupt's ISR now, or null. An opaque read of what the dispatcher
   * writes plain around each call: the watchdog may see it late, never torn, and the ISR path pays
   * nothing for it.
   */
  Thread isrThreadNow() {
    return (Thread) ISR_THREAD.getOpaque(this);
  }

  /**
   * Grows before every ISR call (by the signals it takes): the same value, with an ISR running at
   * two checks, means the same call still runs.
   */
  long isrCallSequence() {
    return read(SIGNALS);
  }

  /**
   * Whether a run of the work item is under way: at most one request waits unstarted (the state
   * reads queued then), so more than one in flight, or one with the state reset (as a run starts),
   * is a run.
   */
  boolean workItemRunning() {
    long inFlight = workItemsInFlight();
    return inFlight > 1 || (inFlight == 1 && (int) WORK_STATE.getVolatile(this) == WORK_IDLE);
  }

  /** Completed work-item runs: unchanged between two checks, a run seen at both is the same run. */
  long workItemRunsCompleted() {
    return read(WORK_RUN);
  }

  /** The thread that runs this device's work items (the caller serving, in manual mode), or null. */
  Thread workItemThread() {
    return worker.servingThread();
  }

  private static RunningCallback running(String callback) {
    return new RunningCallback(callback, Thread.currentThread(), System.nanoTime());
  }

  /** A disconnect on this thread starts waiting; the watchdog reports it if the wait lasts. */
  private void awaiting(DisconnectWait.Kind kind) {
    disconnectWait = new DisconnectWait(kind, Thread.currentThread(), System.nanoTime());
  }

  /** The device this interrupt belongs to (tests drive its watchdog with it). */
  DeviceCore device() {
    return device;
  }

  RunningCallback lifecycleCallbackNow() {
    return lifecycleCallback;
  }

  IsrLockWait isrLockWaitNow() {
    return isrLockWait;
  }

  DisconnectWait disconnectWaitNow() {
    return disconnectWait;
  }

  /** The thread holding this interrupt's lock, as far as another thread can tell; null if free. */
  Thread lockHolderNow() {
    return lock.holderForDiagnostics();
  }

  // ---------------------------------------------------------------- IWDFInterrupt

  @Override
  public String getName() {
    return config.name();
  }

  @Override
  public void acquireInterruptLock() {
    acquireChecked("acquireInterruptLock()");
  }

  @Override
  public void releaseInterruptLock() {
    if (!verifier) {
      lock.release(this);
      return;
    }
    try {
      lock.release(this);
    } catch (InterruptRuleViolation violation) {
      report(VerifierFinding.RELEASE_WITHOUT_ACQUIRE, callbackOnCurrentThread(), violation.getMessage(), violation);
      throw violation;
    }
  }

  @Override
  public boolean tryToAcquireInterruptLock() {
    if (verifier) {
      verifyLockUse("tryToAcquireInterruptLock()");
      if (lock.isHeldByCurrentThread()) {
        report(
            VerifierFinding.LOCK_RECURSION,
            callbackOnCurrentThread(),
            "tryToAcquireInterruptLock() on a thread that already holds the interrupt lock; it"
                + " returns false (WDF: the lock is not recursive)",
            new Throwable("tryToAcquireInterruptLock()"));
      }
    }
    return lock.tryAcquire();
  }

  @Override
  public long signalsInThisCall() {
    if (isrThread == Thread.currentThread()) {
      return isrSignals;
    }
    if (verifier) {
      report(
          VerifierFinding.SIGNALS_OUTSIDE_ISR,
          callbackOnCurrentThread(),
          "signalsInThisCall() outside this interrupt's OnInterruptIsr: no call is being served on"
              + " this thread, it returns 0 (count signals in the ISR and hand them to the work item"
              + " under the interrupt lock)",
          new Throwable("signalsInThisCall()"));
    }
    return 0;
  }

  @Override
  public HeldLock lock() {
    acquireChecked("lock()");
    return heldLock;
  }

  @Override
  public <T> T synchronize(Supplier<T> callback) {
    Objects.requireNonNull(callback, "callback");
    acquireChecked("synchronize()");
    try {
      return callback.get();
    } finally {
      lock.release(this);
    }
  }

  private void acquireChecked(String call) {
    if (!verifier) {
      lock.acquire(this);
      return;
    }
    verifyLockUse(call);
    if (device.deviceLockHeldByCurrentThread()) {
      report(
          VerifierFinding.INTERRUPT_LOCK_UNDER_DEVICE_LOCK,
          callbackOnCurrentThread(),
          call + " while holding the lock of device " + device.name() + " (as an automatically"
              + " serialized work item does): WDF says such a work item must not acquire the"
              + " interrupt lock; with an ISR that takes the device lock, the two deadlock",
          new Throwable(call));
    }
    try {
      lock.acquire(this);
    } catch (InterruptRuleViolation violation) {
      report(VerifierFinding.LOCK_RECURSION, callbackOnCurrentThread(), violation.getMessage(), violation);
      throw violation;
    }
  }

  /**
   * Verifier: the lock is the driver's to use from the enable callback to the disable callback,
   * and in this interrupt's own work item while a disconnect drains it: WDF runs the disable
   * callback first and waits for the work item afterwards, and that work item must be able to take
   * what the ISR left under the lock.
   */
  private void verifyLockUse(String call) {
    boolean drainingOwnWorkItem = workItemThread == Thread.currentThread();
    if (!enabled && !drainingOwnWorkItem) {
      report(
          VerifierFinding.LOCK_OUTSIDE_ENABLE_WINDOW,
          callbackOnCurrentThread(),
          call + " while the interrupt is not enabled (before OnInterruptEnable or after"
              + " OnInterruptDisable); UMDF does not allow it, KMDF refuses (\"Can't synchronize"
              + " when WDFINTERRUPT isn't connected\")",
          new Throwable(call));
    }
  }

  // ---------------------------------------------------------------- verifier

  private void enterCallback(String name) {
    callbackName = name;
    callbackThread = Thread.currentThread();
  }

  private void exitCallback() {
    callbackThread = null;
  }

  /** The callback of this device's interrupts running on the calling thread, if any. */
  String callbackOnCurrentThread() {
    Thread current = Thread.currentThread();
    if (callbackThread == current) {
      return callbackName;
    }
    if (workItemThread == current) {
      return "OnInterruptWorkItem";
    }
    String other = device.callbackRunningOn(current);
    return other != null ? other : VerifierFinding.OUTSIDE_CALLBACKS;
  }

  /** Verifier: whether one of this interrupt's callbacks runs on {@code thread}. */
  boolean runsCallbackOn(Thread thread) {
    return callbackThread == thread || workItemThread == thread;
  }

  /** The callback this interrupt runs on {@code thread}, or null. */
  String callbackRunningOn(Thread thread) {
    if (callbackThread == thread) {
      return callbackName + " of " + displayName;
    }
    return workItemThread == thread ? "OnInterruptWorkItem of " + displayName : null;
  }

  boolean verifierOn() {
    return verifier;
  }

  /** Counts a finding and delivers it to the device listener. */
  void report(String rule, String callback, String message, Throwable stack) {
    increment(VERIFIER_FINDINGS);
    try {
      device.listener().verifierFinding(new VerifierFinding(rule, this, callback, message, stack));
    } catch (Throwable listenerFailure) {
      stack.addSuppressed(listenerFailure);
    }
  }

  @Override
  public void enable() {
    refuseUnderLock("enable()");
    device.driverEnable(this);
  }

  @Override
  public void disable() {
    refuseUnderLock("disable()");
    device.refuseDrainUnderDeviceLock("disable() of " + this);
    device.driverDisable(this);
  }

  /** Called by the device for a driver's enable(): reconnects unless already enabled. */
  void checkNotEnabled() {
    if (enabled && !stormDisconnected) {
      InterruptRuleViolation violation =
          new InterruptRuleViolation(
              toString(),
              RULE_DOUBLE_ENABLE,
              "enable() on an interrupt that is already enabled (Multiple interrupt connection"
                  + " attempts)");
      if (verifier) {
        report(VerifierFinding.DOUBLE_ENABLE, callbackOnCurrentThread(), violation.getMessage(), violation);
      }
      throw violation;
    }
  }

  /**
   * enable() and disable() take the device's lifecycle lock and then an interrupt lock. A thread
   * that already holds any interrupt lock of the device (in any ISR, any enable or disable
   * callback, or a locked region) would deadlock against a concurrent stop(), which holds the
   * lifecycle lock and waits for every interrupt lock in turn; with its own lock it would deadlock
   * at once.
   */
  private void refuseUnderLock(String call) {
    if (lock.isHeldByCurrentThread() || device.holdsAnyInterruptLock()) {
      throw new InterruptRuleViolation(
          toString(),
          RULE_ENABLE_DISABLE_UNDER_LOCK,
          call + " while holding an interrupt lock of the device (in an ISR, an enable or disable"
              + " callback, or a locked region): it takes the device's lifecycle lock and then the"
              + " interrupt lock and would deadlock");
    }
  }

  boolean lockHeldByCurrentThread() {
    return lock.isHeldByCurrentThread();
  }

  /** Whether the calling thread holds the device's lock (automatic serialization). */
  boolean deviceCallbackLockHeldByCurrentThread() {
    return device.deviceLockHeldByCurrentThread();
  }

  /** For tests: whether a thread waits for the device's lock. */
  boolean deviceLockHasWaiters() {
    return device.deviceLock().hasQueuedThreads();
  }

  @Override
  public Device getDevice() {
    return device.view();
  }

  @Override
  public InterruptInfo getInfo() {
    return info;
  }

  @Override
  public void setPolicy(AffinityPolicy policy, InterruptPriority priority, long targetProcessorSet) {
    setExtendedPolicy(new ExtendedPolicy(policy, priority, targetProcessorSet, 0));
  }

  @Override
  public void setExtendedPolicy(ExtendedPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  @Override
  public InterruptStatistics getStatistics() {
    return new InterruptStatistics(
        read(SIGNALS),
        read(ISR_CALLS),
        read(CLAIMED),
        read(UNCLAIMED),
        read(COALESCED),
        read(WORK_QUEUED_COUNT),
        read(WORK_COALESCED_COUNT) + read(WORK_COALESCED_LOCKED),
        read(WORK_RUN),
        read(FAILURES),
        read(DROPPED),
        read(VERIFIER_FINDINGS),
        isrTime.snapshot(),
        workItemLatency.snapshot());
  }

  public InterruptConfig config() {
    return config;
  }

  public int messageNumber() {
    return messageNumber;
  }

  int priorityQueueIndex() {
    return priorityQueueIndex;
  }

  /** The dispatcher chosen for this interrupt at its last resource assignment; null before. */
  Dispatcher dispatcher() {
    return dispatcher;
  }

  /** The name of the thread serving this interrupt's ISR (for tests and diagnostics). */
  public String dispatcherThreadName() {
    Dispatcher d = dispatcher;
    return d == null ? null : d.threadName();
  }

  /**
   * The dispatcher's wait stopped watching this interrupt's source ({@code why}: its descriptor
   * hung up or reported an error, or reading it failed): the interrupt fires no more until it is
   * reconnected. Reported to the device's listener as a warning naming the interrupt. Dispatcher
   * thread; a throwing listener does not reach the dispatcher.
   */
  public void sourceDropped(String source, String why, Throwable failure) {
    String message =
        "interrupt " + this + ": stopped watching " + source + " because " + why
            + "; the interrupt will not fire again until it is reconnected"
            + (failure != null ? ": " + failure : "");
    try {
      device.listener().warning(message);
    } catch (Throwable listenerFailure) {
      // a listener must not take the dispatcher down
    }
  }

  /** A source's failure that it survives (a disarm refused by the kernel): to the listener. */
  public void sourceWarning(String message) {
    try {
      device.listener().warning("interrupt " + this + ": " + message);
    } catch (Throwable listenerFailure) {
      // a listener must not break the caller's teardown
    }
  }

  /** Lock hand-over for {@link DeviceCore#releaseInterruptLocksLeftHeld}. */
  boolean releaseIfHeldByCurrentThread() {
    return lock.releaseIfHeldByCurrentThread();
  }

  @Override
  public String toString() {
    return displayName;
  }

  // ---------------------------------------------------------------- helpers

  /** Counts a contained callback failure and reports it to the device listener. */
  void callbackFailed(String callback, Throwable failure) {
    increment(FAILURES);
    try {
      device.listener().callbackFailed(this, callback, failure);
    } catch (Throwable listenerFailure) {
      failure.addSuppressed(listenerFailure); // a listener must not take the dispatcher down either
    }
  }

  /** Single-writer counter: a plain add published with an opaque write. */
  private void add(int slot, long delta) {
    COUNTER.setOpaque(counters, slot, (long) COUNTER.getOpaque(counters, slot) + delta);
  }

  /** Counter written from several threads. */
  private void increment(int slot) {
    COUNTER.getAndAdd(counters, slot, 1L);
  }

  private long read(int slot) {
    return (long) COUNTER.getOpaque(counters, slot);
  }
}
