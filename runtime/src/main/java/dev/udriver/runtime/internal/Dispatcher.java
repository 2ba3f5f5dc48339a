package dev.udriver.runtime.internal;

import dev.udriver.annotation.InterruptPriority;
import dev.udriver.runtime.hardware.PollableInterruptSource;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The thread that runs ISRs. Pending interrupts wait in one {@link ServiceStack} per priority, or,
 * when they became pending on this thread during a round, in a local list per priority; they are
 * served HIGH before NORMAL before LOW, one round (everything pending at one priority) at a time:
 * after each round the dispatcher looks at the highest priority again.
 *
 * <p>Each interrupt object is in at most one stack or list at a time (it is offered only when its
 * pending count leaves zero), so one interrupt's ISR never runs concurrently with itself.
 *
 * <p>Work items the ISRs queue are held back for a few rounds and handed to the worker together
 * ({@link #holdWorkItem}): the hot path between the two threads is one push per publication, not
 * a push and a cache miss per ISR call.
 */
final class Dispatcher extends ServiceThread {

  private static final ServiceStack.Link PENDING_LINK =
      new ServiceStack.Link() {
        @Override
        public InterruptObject next(InterruptObject node) {
          return node.nextPending;
        }

        @Override
        public void setNext(InterruptObject node, InterruptObject next) {
          node.nextPending = next;
        }
      };

  /** Index = {@code InterruptPriority.HIGH.ordinal() - priority.ordinal()}: HIGH first. */
  private final ServiceStack[] pendingByPriority = {
    new ServiceStack(PENDING_LINK), new ServiceStack(PENDING_LINK), new ServiceStack(PENDING_LINK)
  };

  /**
   * Interrupts that became pending on this thread during a round (an ISR whose device raises the
   * next interrupt at once, a level line still asserted after its ISR), per priority, oldest first,
   * linked through {@code nextPending}. Dispatcher thread only: only this thread appends (see
   * {@link #schedule}) and takes, so a plain append replaces the push's CAS and the wake.
   */
  private final InterruptObject[] localHead = new InterruptObject[3];
  private final InterruptObject[] localTail = new InterruptObject[3];
  /** What this thread writes on every round, away from what signalling threads read here. */
  private final Round round = new Round();

  private final Consumer<Throwable> failureReporter;
  private final NanoClock clock;
  private final boolean timing;
  /** Processors this dispatcher is pinned to; 0 = not pinned. */
  private final long processorMask;
  private final ThreadPinning pinning;
  private final Consumer<String> reporter;
  private volatile String pinningReport;
  /** Dispatcher thread only: the calls of the current batch that share its time (see serve). */
  private InterruptObject[] timedCalls = new InterruptObject[16];

  /** Cache-line padding before {@link RoundFields} (HotSpot lays out superclass fields first). */
  @SuppressWarnings("unused")
  private abstract static class RoundPadding {
    long p1, p2, p3, p4, p5, p6, p7, p8;
  }

  /** The dispatcher thread's state per round; written by that thread only. */
  private abstract static class RoundFields extends RoundPadding {
    /**
     * The thread serving a round, while it does; null between rounds. Written only by that
     * thread, so only it can find itself here.
     */
    Thread thread;
    /** When the current round began (timing on). */
    long startNanos;
    /**
     * When the last batch ended, read by its end (timing on), while no wait came since: the next
     * batch starts there instead of reading the clock again. See {@link #serve}.
     */
    long lastEndNanos;
    boolean lastEndValid;
    // Work items the round's ISRs queued, held back until published (see holdWorkItem). heldFor
    // is null exactly when nothing is held.
    WorkItemRunner heldFor;
    InterruptObject heldNewest;
    InterruptObject heldOldest;
    /** ISR calls served since the first held item was held. */
    int callsHolding;
    long holdingSince;
    /** The last interrupt served, which the next wait may watch (see hasWork); then null. */
    InterruptObject lastServed;
    /** The interrupt this thread watches while it waits, until the next serveAvailable. */
    InterruptObject watched;
  }

  /**
   * {@link RoundFields} with padding on both sides: the dispatcher writes them on every round, and
   * as fields of the dispatcher they shared a line with what every signalling thread reads (the
   * stacks, the wait strategy, the thread), which then missed once per round.
   */
  @SuppressWarnings("unused")
  private static final class Round extends RoundFields {
    long q1, q2, q3, q4, q5, q6, q7, q8;
  }

  /**
   * @param timing whether ISR calls are timed (statistics, verifier budget)
   * @param manual no thread: the owner serves with {@link #serveManually()}
   * @param processorMask processors to pin the thread to, 0 for none
   * @param workItemHoldNanos how long work items may be held back (see {@link #holdWorkItem})
   */
  Dispatcher(
      String threadName,
      WaitStrategy waitStrategy,
      Consumer<Throwable> failureReporter,
      NanoClock clock,
      boolean timing,
      boolean manual,
      long processorMask,
      ThreadPinning pinning,
      Consumer<String> reporter,
      long workItemHoldNanos) {
    super(threadName, waitStrategy, manual);
    this.publishAfterNanos = workItemHoldNanos;
    this.publishAfterCalls = (int) Math.max(1, workItemHoldNanos / NANOS_PER_HELD_CALL);
    this.failureReporter = failureReporter;
    this.clock = clock;
    this.timing = timing;
    this.processorMask = processorMask;
    this.pinning = pinning;
    this.reporter = reporter;
  }

  NanoClock clock() {
    return clock;
  }

  /**
   * Dispatcher thread, inside {@link #serve} with timing on: when the batch began. A work item an
   * ISR queues counts its latency from there, without a clock read of its own.
   */
  long batchStartNanos() {
    return round.startNanos;
  }

  /** Whether ISR calls are timed (statistics). */
  boolean timing() {
    return timing;
  }

  long processorMask() {
    return processorMask;
  }

  /** Null when pinned (or not asked to pin), else why the thread is not pinned. */
  String pinningReport() {
    return pinningReport;
  }

  @Override
  void onThreadStart() {
    if (processorMask == 0L || pinning == null) {
      return;
    }
    String report = pinning.pinCurrentThread(processorMask);
    pinningReport = report;
    if (report != null && reporter != null) {
      reporter.accept("dispatcher " + threadName() + " (processors 0x"
          + Long.toHexString(processorMask) + "): " + report);
    }
  }

  static int queueIndex(InterruptPriority priority) {
    return InterruptPriority.HIGH.ordinal() - priority.ordinal();
  }

  /**
   * Hands a newly pending interrupt to the dispatcher. Any thread. The caller made its pending count
   * leave zero, so the object is in no list now and will be in exactly one: the local list when the
   * caller is this dispatcher inside a round (served in the next round; the thread is awake), else
   * the shared stack.
   */
  void schedule(InterruptObject interrupt) {
    int index = interrupt.priorityQueueIndex();
    // A round is served on the service thread only (or the manual server), so another thread
    // learns from fields nobody writes per round that it is not inside one: it never reads the
    // round's line, which this thread writes twice per round (a miss per signal otherwise).
    Thread current = Thread.currentThread();
    if (isCurrentThread() && round.thread == current) {
      appendLocal(index, interrupt);
      return;
    }
    pendingByPriority[index].push(interrupt);
    wake();
  }

  /**
   * How long a saturated dispatcher holds back work items by default: the bound on what holding
   * adds to a work item's latency while the dispatcher is saturated (a dispatcher that runs out of
   * pending interrupts publishes at once). A publication costs the dispatcher far more than its
   * push: the worker it hands the items to resets each item's state as it runs it, so the next
   * successful queue of every item misses in the dispatcher's cache, and a parked worker costs a
   * wake-up. Measured in {@code ThroughputBenchmark.refiring} (16 always-pending interrupts, 2
   * otherwise idle processors): about 6 µs of dispatcher time per publication, so publishing every
   * 256 calls held the dispatcher at 17.5 M ISR calls/s, every 1,024 calls at 24 M/s and every
   * 2,048 at 28 M/s, where 50 µs took over. The requests in between coalesce on the dispatcher's
   * own cache.
   */
  static final long DEFAULT_WORK_ITEM_HOLD_NANOS = 50_000;

  /**
   * The hold counted in ISR calls, which bounds it with timing off (no clock) and ends it early
   * when calls are fast: one call per 24 ns of it, a little under what an ISR call through the
   * whole path costs (2,083 calls for the default 50 µs).
   */
  static final long NANOS_PER_HELD_CALL = 24;

  /** With timing on, held work items are published once the first was held this long. */
  private final long publishAfterNanos;

  /** Held work items are published after this many ISR calls, even while interrupts are pending. */
  private final int publishAfterCalls;

  /**
   * One round: takes the highest-priority pending interrupts and serves them. Publishes the held
   * work items when nothing is pending (the thread is about to wait) or a bound above is reached.
   */
  @Override
  boolean serveAvailable() {
    InterruptObject watching = round.watched;
    if (watching != null) {
      round.watched = null;
      if (watching.endWatch()) {
        offerWatched(watching);
      }
    }
    for (int index = 0; index < pendingByPriority.length; index++) {
      InterruptObject batch = pendingByPriority[index].takeAll();
      InterruptObject local = localHead[index];
      if (local != null) {
        localTail[index].nextPending = batch; // this thread's first: they waited a round already
        localHead[index] = null;
        localTail[index] = null;
        batch = local;
      }
      if (batch != null) {
        int calls = serve(batch);
        if (round.heldFor != null
            && ((round.callsHolding += calls) >= publishAfterCalls
                || round.startNanos - round.holdingSince >= publishAfterNanos)) {
          publishHeldWorkItems();
        }
        return true;
      }
    }
    round.lastEndValid = false; // the thread may wait now: the next batch reads the clock
    publishHeldWorkItems();
    return false;
  }

  /**
   * Dispatcher thread, in an ISR: holds back a work item the ISR has just queued (its state is
   * queued; nobody else links it) instead of pushing it onto the worker's stack at once. The
   * dispatcher publishes all held items with one push and at most one wake: when nothing is
   * pending, after the hold's bound in ISR calls or (with timing on) in time ({@link
   * #DEFAULT_WORK_ITEM_HOLD_NANOS}; a hold of 0 publishes after every round), before its ISR may
   * wait for an interrupt lock, and at once for another device's worker.
   *
   * <p>Why the semantics hold: a held item has not started, and its state stays queued until the
   * worker takes it, which is after the publication; so every further {@code
   * queueWorkItemForIsr()} meanwhile, from the ISR or any thread, finds it queued and returns false,
   * exactly as for a pushed item. The publication's CAS orders everything the ISRs did before it
   * ahead of the worker's take. Only the moment the worker can start it moves, by at most the bound
   * above; the dispatcher never waits while holding items (it publishes before it parks, and
   * before an ISR may block on a lock that a thread draining those items could hold).
   *
   * <p>Why: the worker resets a work item's state when it runs it, so the dispatcher's next
   * successful queue of it misses in its cache and waits for the line from the worker's processor
   * (100 ns and more across cores). Publishing per ISR call made every call pay that and a contended
   * push; holding items for a few rounds lets the requests in between coalesce locally.
   */
  void holdWorkItem(InterruptObject item, WorkItemRunner worker) {
    if (round.heldFor != worker) {
      publishHeldWorkItems(); // another device's items: hand them over now, one chain per worker
      round.heldFor = worker;
      round.heldOldest = item;
      round.holdingSince = round.startNanos;
    }
    item.nextWorkItem = round.heldNewest;
    round.heldNewest = item;
  }

  /** Dispatcher thread: publishes the held work items, if any (see {@link #holdWorkItem}). */
  void publishHeldWorkItems() {
    WorkItemRunner worker = round.heldFor;
    if (worker == null) {
      return;
    }
    InterruptObject newest = round.heldNewest;
    InterruptObject oldest = round.heldOldest;
    round.heldFor = null;
    round.heldNewest = null;
    round.heldOldest = null;
    round.callsHolding = 0;
    worker.publish(newest, oldest);
  }

  /**
   * Serves a batch. With timing on, the clock is read once per batch, not per ISR call: one read
   * costs about as much as a whole ISR dispatch on some machines (50 ns on the reference VM). Each
   * ISR call of the batch is recorded with an equal share of the batch's time, from before the
   * first pending count was taken to after the last call's bookkeeping: lock hand-over, ISR and
   * statistics included. A batch that follows the previous one back to back (no wait in between)
   * starts where that one's end read the clock, so its time also holds the round's own
   * bookkeeping in between (the previous batch's recording, taking the pending lists); after a
   * wait, or a batch whose end read nothing, the batch reads the clock as it starts. A batch of one call records that call's own time; the maximum is
   * therefore the slowest single call whenever a slow ISR runs alone, and otherwise the slowest
   * batch's mean. The verifier times each call on its own (see {@link
   * InterruptObject#serviceInterrupt}). Work items the batch's ISRs queue are held back and published
   * later, together ({@link #holdWorkItem}).
   *
   * @return the interrupts served (ISR calls, unless one was disconnected meanwhile)
   */
  private int serve(InterruptObject batch) {
    InterruptObject interrupt = batch;
    long start = 0L;
    if (timing) {
      // Back to back with the previous batch: its end is this one's start (one read per batch).
      start = round.lastEndValid ? round.lastEndNanos : clock.nanoTime();
      round.lastEndValid = false;
    }
    round.startNanos = start;
    int timed = 0;
    round.thread = Thread.currentThread();
    InterruptObject last = null;
    int calls = 0;
    try {
      while (interrupt != null) {
        // Unlink before serving: once its pending count is taken, the object may be offered again.
        InterruptObject next = interrupt.nextPending;
        interrupt.nextPending = null;
        Dispatcher owner = interrupt.dispatcher;
        if (owner != this) {
          // A signal that raced a stop offered it here; it was started on another dispatcher
          // since. Its count is still pending, so no other offer is made: hand it over once.
          owner.schedule(interrupt);
          interrupt = next;
          continue;
        }
        calls++;
        if (interrupt.serviceInterrupt(null, this)) {
          if (timed == timedCalls.length) {
            timedCalls = Arrays.copyOf(timedCalls, timed * 2); // grows once, then reused
          }
          timedCalls[timed++] = interrupt;
        }
        last = interrupt;
        interrupt = next;
      }
    } finally {
      if (!isManual()) {
        round.lastServed = last; // the next wait watches it (see hasWork)
      }
      round.thread = null;
      if (timed > 0) {
        long end = clock.nanoTime();
        round.lastEndNanos = end;
        round.lastEndValid = true;
        long share = (end - start) / timed;
        for (int i = 0; i < timed; i++) {
          timedCalls[i].finishBatchTimedCall(share);
          timedCalls[i] = null;
        }
      }
    }
    return calls;
  }

  /**
   * Watches a pollable source while idle; its signals then reach the ISR on this thread with no
   * hand-off.
   *
   * @throws IllegalStateException when this dispatcher cannot wait on file descriptors
   */
  void registerPollable(InterruptObject interrupt, PollableInterruptSource source) {
    WaitStrategy wait = waitStrategy();
    if (!wait.supportsPollableSources()) {
      throw new IllegalStateException(
          "interrupt " + interrupt + ": its source waits on a file descriptor, but the dispatcher"
              + " waits with " + wait.getClass().getSimpleName() + ", which cannot (Linux sources"
              + " need the epoll dispatcher)");
    }
    wait.register(source, interrupt);
  }

  void unregisterPollable(PollableInterruptSource source) {
    waitStrategy().unregister(source);
  }

  /**
   * Whether an interrupt is pending. Exact on the dispatcher thread; another thread may miss what
   * the local lists hold while a round is being served, or the signals of a watched interrupt while
   * the watch ends (the dispatcher is busy then anyway).
   *
   * <p><b>Watching.</b> Before the dispatcher waits ({@link #beforeAwait}), it starts watching the
   * interrupt served last: it sets {@link InterruptObject#WATCHED} in its pending count while the
   * count is zero, and its wait strategy then reads that count here. A signal that makes the count leave zero then
   * only wakes this thread and pushes nothing: the signaller writes one line (the count) and this
   * thread reads it, the line a bare busy-spin hand-off moves too, instead of the count, the
   * stack's head and the link (two lines each way). {@link #serveAvailable} ends the watch first
   * thing, always after the wait, and offers the object into the local list when signals arrived
   * meanwhile ({@link InterruptObject#endWatch}); from then on signals push as before.
   *
   * <p>Why the rules hold: the watch starts only on a zero count, when the object is in no list
   * (the dispatcher waits, so it served every list it took; a count taken leaves zero before the
   * next offer). While watched, exactly the signal that makes the count leave zero finds the bare
   * bit, and no signal pushes, so the object is in no list until the watch ends and this thread
   * offers it once: each object is still in at most one list. Priorities are kept: the object goes
   * to the local list of its priority, served in priority order with the stacks. An object not
   * connected or moved to another dispatcher is not watched ({@link
   * InterruptObject#watchableBy}); a disconnect waits until no watch is left.
   */
  @Override
  boolean hasWork() {
    for (int index = 0; index < pendingByPriority.length; index++) {
      if (!pendingByPriority[index].isEmpty() || localHead[index] != null) {
        return true;
      }
    }
    InterruptObject watching = round.watched;
    return watching != null && watching.hasWatchedSignals();
  }

  /**
   * Dispatcher thread, about to wait: watches the interrupt served last (see {@link #hasWork}).
   * No watch is left here: {@link #serveAvailable}, which just found nothing, ended it.
   */
  @Override
  void beforeAwait() {
    InterruptObject candidate = round.lastServed;
    if (candidate != null) {
      round.lastServed = null;
      watch(candidate);
    }
  }

  /** Dispatcher thread, about to wait: watches {@code interrupt} if it may. */
  private void watch(InterruptObject interrupt) {
    if (!interrupt.tryWatch()) {
      return; // pending already: offered, and served in the next round
    }
    if (interrupt.watchableBy(this)) {
      round.watched = interrupt;
    } else if (interrupt.endWatch()) {
      offerWatched(interrupt); // a signal came in between and found the bit
    }
  }

  /**
   * Dispatcher thread, outside a round: offers an interrupt whose signals arrived while it was
   * watched. Its own go to the local list (served in the next round, in priority order); one that
   * meanwhile belongs to another dispatcher goes there as a signal would have sent it.
   */
  private void offerWatched(InterruptObject interrupt) {
    Dispatcher serving = interrupt.dispatcher;
    if (serving != this) {
      serving.schedule(interrupt);
      return;
    }
    appendLocal(interrupt.priorityQueueIndex(), interrupt);
  }

  /**
   * Manual mode, on the owner's thread between rounds: takes {@code interrupt} out of its pending
   * stack before a stop serves it directly, so that it is linked nowhere afterwards. Left linked,
   * the push of its next signal would overwrite its link and lose every interrupt behind it. The
   * others taken with it keep their order in the local list, which the next round serves before
   * the stack (they are older than anything pushed since).
   */
  void takeOutManually(InterruptObject interrupt) {
    int index = interrupt.priorityQueueIndex();
    InterruptObject node = pendingByPriority[index].takeAll();
    while (node != null) {
      InterruptObject next = node.nextPending;
      node.nextPending = null;
      if (node != interrupt) {
        appendLocal(index, node);
      }
      node = next;
    }
  }

  /** Dispatcher thread: appends to its own list of {@code index}, served in the next round. */
  private void appendLocal(int index, InterruptObject interrupt) {
    InterruptObject tail = localTail[index];
    if (tail == null) {
      localHead[index] = interrupt;
    } else {
      tail.nextPending = interrupt;
    }
    localTail[index] = interrupt;
  }

  @Override
  void serviceFailed(Throwable failure) {
    failureReporter.accept(failure);
  }
}
