package dev.udriver.runtime.sim;

import dev.udriver.runtime.internal.NanoClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock that only moves when told to: the time of a deterministic {@link Simulation}. ISR times,
 * work-item latencies and the verifier's ISR budget are measured on it, so a test decides what an
 * ISR "took" by advancing the clock inside it.
 */
public final class VirtualClock implements NanoClock {

  private final AtomicLong now = new AtomicLong();

  @Override
  public long nanoTime() {
    return now.get();
  }

  /** Moves the clock forward. */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a clock does not go back: " + duration);
    }
    now.addAndGet(duration.toNanos());
  }

  /** The time since the simulation started. */
  public Duration elapsed() {
    return Duration.ofNanos(now.get());
  }
}
