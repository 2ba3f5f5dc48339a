package dev.udriver.samples.linux;

import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.runtime.Interrupt;

/**
 * A periodic timer driver on a timerfd ({@link dev.udriver.runtime.linux.TimerFdHardware}): the
 * ISR timestamps each tick and tracks the largest gap between ticks (the dispatch jitter), the
 * work item counts the periods it processed. Ticks the dispatcher could not take in time arrive
 * together and show in the interrupt's coalesced count.
 */
public final class PeriodicTimerDriver {

  // ISR only (under the interrupt lock); read by anyone.
  private volatile long ticks;
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
    ticks = ticks + 1;
    interrupt.queueWorkItemForIsr();
    return true;
  }

  @OnInterruptWorkItem
  void onPeriod(Interrupt interrupt) {
    processed = processed + 1;
  }

  /** ISR calls (ticks taken; overruns are in the coalesced count). */
  public long ticks() {
    return ticks;
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
