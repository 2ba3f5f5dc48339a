package dev.udriver.runtime.hardware;

/**
 * A source whose interrupts make a file descriptor readable: an eventfd (VFIO MSI vectors, software
 * signals), a timerfd, a UIO device, a GPIO line request. The dispatcher that serves the interrupt
 * waits on the descriptor itself and runs the ISR on its own thread, with no hand-off in between.
 *
 * <p>On connection the runtime registers the descriptor with the dispatcher's wait; when it becomes
 * readable the dispatcher calls {@link #readSignals()} and signals the interrupt with the count.
 * {@link InterruptSource#connect(InterruptSink)} and {@link InterruptSource#disconnect()} still
 * bracket the connection (to enable and disable the source at the kernel).
 */
public interface PollableInterruptSource extends InterruptSource {

  /** The descriptor that becomes readable when interrupts arrive. */
  int fd();

  /**
   * Called on the dispatcher when {@link #fd()} is readable: consumes the readiness (reads the
   * counter, the event records) and returns how many interrupts it stands for; 0 for a spurious
   * wake. Must not block and must not allocate.
   */
  long readSignals();
}
