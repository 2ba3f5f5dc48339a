package dev.udriver.runtime.hardware;

/**
 * Where an {@link InterruptSource} delivers its signals: the interrupt object it is connected to.
 * Thread-safe; never blocks; does not allocate.
 */
public interface InterruptSink {

  /**
   * Reports {@code count} interrupts (edges, messages or one assertion of a level line) that arrived
   * together. Signals that arrive while the ISR is pending or running coalesce into one further ISR
   * call; the count is kept in the interrupt's statistics.
   */
  void signal(long count);
}
