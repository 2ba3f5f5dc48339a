package dev.udriver.runtime.internal;

import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.PollableInterruptSource;
import java.util.function.BooleanSupplier;

/**
 * How a service thread (a dispatcher or a worker) waits when it has nothing to serve, and how
 * producers wake it. One instance per thread.
 *
 * <p>Contract: {@link #await} announces the wait, re-checks {@code hasWork} and only then blocks, so
 * that a {@link #wake()} issued after a producer's push is never lost; {@link #wake()} pays for a
 * system call only when the thread announced a wait. A strategy that watches file descriptors
 * ({@link #supportsPollableSources()}) delivers their signals to the registered sinks from inside
 * {@link #await}, on the service thread.
 */
public interface WaitStrategy extends AutoCloseable {

  /** Blocks until woken, work is available, a watched descriptor fired, or the timeout passed. */
  void await(BooleanSupplier hasWork, long timeoutNanos);

  /** Wakes the service thread if it waits. Any thread. */
  void wake();

  /** Whether {@link #register} can watch file descriptors. */
  default boolean supportsPollableSources() {
    return false;
  }

  /**
   * Watches {@code source}: when its descriptor is readable, the service thread calls {@link
   * PollableInterruptSource#readSignals()} and passes a non-zero count to {@code sink}. Any thread.
   */
  default void register(PollableInterruptSource source, InterruptSink sink) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot wait on file descriptors");
  }

  /** Stops watching {@code source}; after it returns the sink is not signalled for it again. */
  default void unregister(PollableInterruptSource source) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot wait on file descriptors");
  }

  /** Binds the strategy to the thread it serves; called once, on that thread, before any wait. */
  default void bind(Thread serviceThread) {}

  /** Releases what the strategy holds (descriptors, native memory); the thread has ended. */
  @Override
  default void close() {}

  /** Creates one strategy per service thread. */
  @FunctionalInterface
  interface Factory {
    WaitStrategy create(String threadName);
  }
}
