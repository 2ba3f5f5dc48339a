package dev.udriver.runtime.hardware;

/**
 * What raises the interrupts of one granted resource: a simulated line, an eventfd, a UIO device.
 * The runtime connects it before the interrupt's enable callback runs and disconnects it after the
 * disable callback.
 */
public interface InterruptSource {

  /** Starts delivering signals to {@code sink}, from any thread. */
  void connect(InterruptSink sink);

  /** Stops delivering signals. After it returns the source no longer calls the sink. */
  void disconnect();

  /**
   * Called on the dispatcher after each ISR, outside the interrupt lock, with the ISR's result. A
   * level-triggered source signals again if its line is still asserted; a UIO source re-arms here.
   * Edge and MSI sources ignore it, as UMDF ignores the ISR result for them.
   */
  default void afterIsr(boolean claimed) {}
}
