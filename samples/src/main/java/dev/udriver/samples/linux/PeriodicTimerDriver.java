package dev.udriver.samples.linux;

import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.runtime.Interrupt;

/**
 * A periodic timer driver on a timerfd ({@link dev.udriver.runtime.linux.TimerFdHardware}): the
 * ISR counts the timer's expirations and tracks the largest gap between ISR calls (the dispatch
 * jitter), the work item counts its runs. Periods the dispatcher could not take in time are not
 * lost: the timerfd reports them as overruns, and the next ISR call serves them together ({@link
 * Interrupt#signalsInThisCall()}), so {@link #ticks()} counts every period that elapsed while
 * {@link #isrCalls()} counts the calls.
 */
public final class PeriodicTimerDriver {

  // ISR only (under the interrupt lock); read by anyone.
  private volatile long ticks;
  private volatile long isrCalls;
  private volatile long lastTickNanos;
  private volatile long largestGapNanos;

  // Work item only.
  private volatile long processed;

  @OnInterruptIsr
  boolean onTick(Interrupt interrupt) {
    long now = System.nanoTime();
    long last = lastTickNanos;
    if (last != 0 && now - last > largestGapNanos) {
      largestGapNanos = now - last;
    }
    lastTickNanos = now;
    ticks = ticks + interrupt.signalsInThisCall(); // this period and any overruns before it
    isrCalls = isrCalls + 1;
    interrupt.queueWorkItemForIsr();
    return true;
  }

  @OnInterruptWorkItem
  void onPeriod(Interrupt interrupt) {
    processed = processed + 1;
  }

  /** Timer periods served, overruns included. */
  public long ticks() {
    return ticks;
  }

  /** ISR calls: fewer than {@link #ticks()} when periods overran. */
  public long isrCalls() {
    return isrCalls;
  }

  /** Work-item runs. */
  public long processed() {
    return processed;
  }

  /** The largest time between two ISR calls, in nanoseconds. */
  public long largestGapNanos() {
    return largestGapNanos;
  }
}
