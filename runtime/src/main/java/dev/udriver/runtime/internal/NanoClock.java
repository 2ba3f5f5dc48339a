package dev.udriver.runtime.internal;

/**
 * The time source of a dispatcher group: {@link System#nanoTime()} in production, a virtual clock
 * that only the test moves in a deterministic simulation.
 */
public interface NanoClock {

  /** The system's monotonic clock. */
  NanoClock SYSTEM = System::nanoTime;

  /** Nanoseconds from an arbitrary origin, monotonic. */
  long nanoTime();
}
