package dev.udriver.runtime.internal;

import dev.udriver.runtime.HungCallback;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A device's watchdog: its thresholds and what it saw of each interrupt. While the device is in D0
 * (from a start to the end of the next stop, which it watches too) its pool's watchdog thread
 * ({@link PoolWatchdog}, one for every device the pool serves) runs its checks every {@link
 * #periodNanos}; they report a driver callback running longer than its threshold, once per call,
 * with the stuck thread's stack ({@link dev.udriver.runtime.DeviceListener#callbackHung}); and a
 * disconnect (a stop, a driver's {@code disable()}) that has waited that long for one to return
 * ({@code warning}, once per wait), to this device's listener.
 *
 * <p>Nothing is added to the ISR or work-item paths. The checks read what they write anyway: the
 * ISR's thread, which the dispatcher sets around each call, and the interrupt's signal count, which
 * grows before each call; the work item's state and its queued and completed counts. A call seen
 * running at two checks with the same count in between is the same call, and it is reported once
 * the checks that saw it span the threshold: a call that ran less is never reported, one that hangs
 * is reported at most a threshold and two periods after it began. The reads are racy and settle
 * only for a call that stays put, which is the one that matters. Enable and disable callbacks, off
 * the hot path, record when they began.
 *
 * <p>Waits for a lock are blamed on its holder, not on the callback that has not started: a
 * dispatcher waiting for an interrupt lock to run the ISR, and the worker waiting for the device
 * lock to run an automatically serialized work item, publish the wait on the contended acquire
 * only (which waits anyway), and a wait past the ISR or work-item threshold gets a warning naming
 * the holder's thread. The uncontended acquires pay nothing.
 */
final class CallbackWatchdog {

  private static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  private static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final DeviceCore device;
  /** The pool's watchdog thread, which runs these checks while the device is watched. */
  private final PoolWatchdog poolWatchdog;
  private final long isrNanos;
  private final long workItemNanos;
  private final long enableDisableNanos;
  private final long periodNanos;
  /**
   * Held around each round of checks: a round of a thread that was told to end (a listener slow to
   * return) and one of the thread started after it never overlap, and a close waits for the round
   * under way. Never held by the lifecycle, so a listener may call into the device.
   */
  private final Object checking = new Object();

  // The checking thread's own state, one slot per interrupt object (fixed once the device started).
  private List<InterruptObject> interrupts;
  private Watch[] isrWatches;
  private Watch[] workItemWatches;
  private Watch[] deviceLockWaitWatches;
  private Object[] reportedIsrLockWaits;
  private Object[] reportedLifecycleCalls;
  private Object[] reportedWaits;

  /** Thresholds in nanoseconds; 0 turns that watch off. Checked by the device's pool's thread. */
  CallbackWatchdog(DeviceCore device, long isrNanos, long workItemNanos, long enableDisableNanos) {
    this.device = device;
    this.poolWatchdog = device.pool().watchdog();
    this.isrNanos = isrNanos;
    this.workItemNanos = workItemNanos;
    this.enableDisableNanos = enableDisableNanos;
    long shortest = Long.MAX_VALUE;
    for (long threshold : new long[] {isrNanos, workItemNanos, enableDisableNanos}) {
      if (threshold > 0) {
        shortest = Math.min(shortest, threshold);
      }
    }
    this.periodNanos =
        shortest == Long.MAX_VALUE ? 0 : Math.clamp(shortest / 4, MIN_PERIOD_NANOS, MAX_PERIOD_NANOS);
  }

  /** How often the checks run: a quarter of the shortest threshold, 1 to 250 ms; 0 when all are off. */
  long periodNanos() {
    return periodNanos;
  }

  /**
   * The device enters D0: its pool's watchdog thread checks it from now on, and starts if no other
   * device of the pool keeps it. The device's interrupt objects are all created by now, and what was
   * seen of them is kept across stops. A device with every threshold 0 is not watched.
   */
  void start(List<InterruptObject> deviceInterrupts) {
    if (periodNanos == 0) {
      return;
    }
    if (interrupts == null) {
      // Not under the checking monitor: a round of an earlier start may hold it, with a listener
      // waiting for the lifecycle lock that the caller holds. No round ran before the first start,
      // and the pool's thread sees this state through watch().
      watch(deviceInterrupts);
    }
    poolWatchdog.watch(this);
  }

  /** Sets up the per-interrupt state; tests then drive {@link #check} themselves, without the thread. */
  void watch(List<InterruptObject> deviceInterrupts) {
    int count = deviceInterrupts.size();
    interrupts = List.copyOf(deviceInterrupts);
    isrWatches = new Watch[count];
    workItemWatches = new Watch[count];
    deviceLockWaitWatches = new Watch[count];
    for (int i = 0; i < count; i++) {
      isrWatches[i] = new Watch();
      workItemWatches[i] = new Watch();
      deviceLockWaitWatches[i] = new Watch();
    }
    reportedIsrLockWaits = new Object[count];
    reportedLifecycleCalls = new Object[count];
    reportedWaits = new Object[count];
  }

  /**
   * The device left D0: no round of its checks begins until the next start, and the pool's thread
   * is told to end if no other device keeps it. Does not wait: the caller holds the lifecycle lock,
   * which a listener on the watchdog thread may be waiting for.
   */
  void pause() {
    poolWatchdog.unwatch(this);
  }

  /**
   * The device is closed: waits for a round of its checks under way (a report being delivered) and
   * for a pool watchdog thread that no device keeps any more to end. On the watchdog thread itself
   * (a listener closing the device from a report) it waits for neither: that round is the caller's
   * own, and the thread ends after the report.
   */
  void stop() {
    poolWatchdog.unwatch(this);
    synchronized (checking) {
      // Nothing to do: holding the monitor means no round of this device's checks is under way,
      // and none begins once it is no longer watched. The watchdog thread holds it already.
    }
    poolWatchdog.awaitRetired();
  }

  /**
   * The pool's watchdog thread: one round of checks, unless {@code stillWatched} no longer holds
   * once no other round of this device runs (the device left D0, or the thread was told to end).
   *
   * @return whether the round ran
   */
  boolean runChecks(BooleanSupplier stillWatched) {
    synchronized (checking) {
      if (!stillWatched.getAsBoolean()) {
        return false;
      }
      try {
        check(System.nanoTime());
      } catch (Throwable failure) { // a watchdog that dies reports nothing again
        device.serviceFailed("device " + device.name() + ": watchdog", failure);
      }
      return true;
    }
  }

  /** One round of checks at {@code now} (System.nanoTime); the watchdog thread's, or a test's. */
  void check(long now) {
    for (int i = 0; i < interrupts.size(); i++) {
      InterruptObject interrupt = interrupts.get(i);
      if (isrNanos > 0) {
        checkIsr(interrupt, isrWatches[i], now);
        checkIsrLockWait(interrupt, i, now);
      }
      if (workItemNanos > 0) {
        checkWorkItem(interrupt, workItemWatches[i], deviceLockWaitWatches[i], now);
      }
      if (enableDisableNanos > 0) {
        checkLifecycleCallback(interrupt, i, now);
      }
      checkDisconnectWait(interrupt, i, now);
    }
  }

  private void checkIsr(InterruptObject interrupt, Watch watch, long now) {
    Thread isrThread = interrupt.isrThreadNow();
    long sequence = interrupt.isrCallSequence();
    long ran = watch.observe(isrThread != null, sequence, now, isrNanos);
    if (ran < 0) {
      return;
    }
    watch.reported();
    Throwable stack = stackOf(isrThread, "OnInterruptIsr of " + interrupt);
    // The stack is only worth reporting if it is still that call's.
    if (interrupt.isrThreadNow() == isrThread && interrupt.isrCallSequence() == sequence) {
      report(interrupt, "OnInterruptIsr", ran, isrNanos, isrThread, stack);
    }
  }

  /**
   * A dispatcher in the contended acquire of the interrupt lock, to run the ISR, past the ISR
   * threshold: whoever holds the lock holds back every interrupt of that dispatcher.
   */
  private void checkIsrLockWait(InterruptObject interrupt, int index, long now) {
    InterruptObject.IsrLockWait wait = interrupt.isrLockWaitNow();
    if (wait == null || wait == reportedIsrLockWaits[index]) {
      return;
    }
    long waited = now - wait.sinceNanos();
    if (waited < isrNanos) {
      return;
    }
    reportedIsrLockWaits[index] = wait;
    Thread holder = interrupt.lockHolderNow();
    warn(
        "device " + device.name() + ": dispatcher thread " + wait.dispatcher().getName()
            + " has waited " + TimeUnit.NANOSECONDS.toMillis(waited) + " ms for the interrupt lock of "
            + interrupt + " to run its OnInterruptIsr, held by "
            + (holder == null ? "no thread any more" : "thread " + holder.getName())
            + "; every interrupt that dispatcher serves waits with it");
  }

  private void checkWorkItem(InterruptObject interrupt, Watch watch, Watch lockWait, long now) {
    boolean runningNow = interrupt.workItemRunning();
    long completed = interrupt.workItemRunsCompleted();
    // A serialized run waiting for the device lock has not called the work item yet: the holder
    // is to blame, and the run's own time starts once it has the lock.
    boolean waitingForLock = runningNow && device.workItemWaitingForDeviceLock() == interrupt;
    long waited = lockWait.observe(waitingForLock, completed, now, workItemNanos);
    if (waited >= 0) {
      lockWait.reported();
      Thread holder = device.deviceLockHolderNow();
      warn(
          "device " + device.name() + ": work item of " + interrupt + " has waited "
              + TimeUnit.NANOSECONDS.toMillis(waited) + " ms for the device lock held by "
              + (holder == null ? "no thread any more" : "thread " + holder.getName())
              + " (automatic serialization)");
    }
    long ran = watch.observe(runningNow && !waitingForLock, completed, now, workItemNanos);
    Thread worker = interrupt.workItemThread();
    if (ran < 0 || worker == null) {
      return; // not marked reported: without a thread to name now, the next check reports it
    }
    watch.reported();
    Throwable stack = stackOf(worker, "OnInterruptWorkItem of " + interrupt);
    if (interrupt.workItemRunning() && interrupt.workItemRunsCompleted() == completed) {
      report(interrupt, "OnInterruptWorkItem", ran, workItemNanos, worker, stack);
    }
  }

  private void checkLifecycleCallback(InterruptObject interrupt, int index, long now) {
    InterruptObject.RunningCallback call = interrupt.lifecycleCallbackNow();
    if (call == null || call == reportedLifecycleCalls[index]) {
      return;
    }
    long ran = now - call.startNanos();
    if (ran < enableDisableNanos) {
      return;
    }
    reportedLifecycleCalls[index] = call;
    Throwable stack = stackOf(call.thread(), call.name() + " of " + interrupt);
    if (interrupt.lifecycleCallbackNow() == call) {
      report(interrupt, call.name(), ran, enableDisableNanos, call.thread(), stack);
    }
  }

  /** A disconnect waiting for a callback is reported once its wait passes that callback's threshold. */
  private void checkDisconnectWait(InterruptObject interrupt, int index, long now) {
    InterruptObject.DisconnectWait wait = interrupt.disconnectWaitNow();
    if (wait == null || wait == reportedWaits[index]) {
      return;
    }
    long threshold =
        wait.kind() == InterruptObject.DisconnectWait.Kind.WORK_ITEMS ? workItemNanos : isrNanos;
    long waited = now - wait.sinceNanos();
    if (threshold == 0 || waited < threshold) {
      return;
    }
    reportedWaits[index] = wait;
    String waitsFor =
        switch (wait.kind()) {
          case INTERRUPT_LOCK -> {
            Thread holder = interrupt.lockHolderNow();
            Thread isrThread = interrupt.isrThreadNow();
            yield "its interrupt lock, held by "
                + (holder == null
                    ? "no thread any more"
                    : holder == isrThread
                        ? "its OnInterruptIsr on thread " + holder.getName()
                        : "thread " + holder.getName());
          }
          case ISR_IN_SERVICE -> {
            Thread isrThread = interrupt.isrThreadNow();
            yield "its OnInterruptIsr to return"
                + (isrThread != null ? " on thread " + isrThread.getName() : "");
          }
          case WORK_ITEMS -> {
            Thread worker = interrupt.workItemThread();
            yield "its OnInterruptWorkItem to return"
                + (worker != null ? " on thread " + worker.getName() : "");
          }
        };
    warn(
        "device " + device.name() + ": thread " + wait.waiter().getName() + ", disconnecting"
            + " interrupt " + interrupt + " (a stop or the driver's disable()), has waited "
            + TimeUnit.NANOSECONDS.toMillis(waited) + " ms for " + waitsFor);
  }

  private static Throwable stackOf(Thread thread, String what) {
    Throwable stack = new Throwable("stack of thread " + thread.getName() + " running " + what);
    stack.setStackTrace(thread.getStackTrace());
    return stack;
  }

  private void report(
      InterruptObject interrupt, String callback, long ranNanos, long thresholdNanos, Thread thread,
      Throwable stack) {
    try {
      device
          .listener()
          .callbackHung(
              new HungCallback(
                  interrupt, callback, Duration.ofNanos(ranNanos), Duration.ofNanos(thresholdNanos),
                  thread.getName(), stack));
    } catch (Throwable listenerFailure) {
      // a listener must not end the watchdog
    }
  }

  private void warn(String message) {
    try {
      device.listener().warning(message);
    } catch (Throwable listenerFailure) {
      // a listener must not end the watchdog
    }
  }

  /** What the watchdog saw of one interrupt's ISR or work item at its last check. */
  static final class Watch {
    private boolean active;
    private long sequence;
    private long firstSeenNanos;
    private boolean reported;

    /**
     * Notes this check; returns how long the call has run at least when it is due for its report,
     * else -1. It stays due until {@link #reported()}: a caller that cannot report it yet (no
     * thread to name) reports it at a later check rather than never.
     *
     * @param sequence unchanged while the same call runs, changed by any other call
     */
    long observe(boolean runningNow, long sequence, long now, long thresholdNanos) {
      if (!runningNow) {
        active = false;
        return -1;
      }
      if (!active || this.sequence != sequence) {
        active = true;
        this.sequence = sequence;
        firstSeenNanos = now;
        reported = false;
        return -1;
      }
      long ran = now - firstSeenNanos;
      if (reported || ran < thresholdNanos) {
        return -1;
      }
      return ran;
    }

    /** The call due is reported (or will never be): once per call. */
    void reported() {
      reported = true;
    }
  }
}
