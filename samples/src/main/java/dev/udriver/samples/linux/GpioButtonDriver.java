package dev.udriver.samples.linux;

import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.linux.GpioLineEvents;

/**
 * A push button on a GPIO line (active low, pulled up, debounced by the kernel): every falling
 * edge is a press. The ISR takes the kernel's edge records — timestamp, sequence numbers — and
 * counts presses and missed edges (sequence gaps: the kernel FIFO overflowed); the work item
 * reports new presses to the application outside the interrupt lock.
 *
 * <p>A button has no interrupt-enable register, so the driver declares neither enable nor disable.
 */
public final class GpioButtonDriver {

  /** Receives presses on the work-item thread. */
  @FunctionalInterface
  public interface Presses {
    /**
     * @param presses presses since the last call
     * @param lastPressNanos kernel timestamp of the latest (CLOCK_MONOTONIC, as System.nanoTime)
     * @param missedEdges edges lost so far
     */
    void pressed(long presses, long lastPressNanos, long missedEdges);
  }

  private final GpioLineEvents events;
  private final Presses presses;

  // Guarded by the interrupt lock.
  private long pending;
  private long lastPressNanos;
  private long missed;

  // Written by the ISR only; read by any thread without the lock.
  private volatile long total;

  public GpioButtonDriver(GpioLineEvents events, Presses presses) {
    this.events = events;
    this.presses = presses;
  }

  @OnInterruptIsr
  boolean onEdge(Interrupt interrupt) {
    boolean any = false;
    while (events.next()) {
      any = true;
      missed += events.missedBefore();
      if (!events.rising()) {
        pending++;
        total = total + 1; // single writer: the ISR
        lastPressNanos = events.timestampNanos();
      }
    }
    if (any) {
      interrupt.queueWorkItemForIsr();
    }
    return any;
  }

  @OnInterruptWorkItem
  void report(Interrupt interrupt) {
    long count;
    long last;
    long lost;
    try (var held = interrupt.lock()) {
      count = pending;
      last = lastPressNanos;
      lost = missed;
      pending = 0;
    }
    if (count > 0) {
      presses.pressed(count, last, lost);
    }
  }

  /** Presses seen by the ISR so far. Any thread: a volatile read, never the interrupt lock. */
  public long totalPresses() {
    return total;
  }
}
