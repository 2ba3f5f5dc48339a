package dev.udriver.runtime.linux;

import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.PollableInterruptSource;
import dev.udriver.runtime.internal.InterruptObject;
import dev.udriver.runtime.linux.internal.EpollRegistration;
import dev.udriver.runtime.linux.internal.EpollWatched;

/**
 * A Linux interrupt source: a file descriptor the dispatcher watches with {@code epoll}. Subclasses
 * say how a readiness is read ({@link #readSignals()}) and how the device is enabled, disabled and
 * re-armed.
 *
 * <p>{@link #mask()} and {@link #unmask()} are the hybrid interrupt/poll mode's switch (see {@link
 * HybridPoll}): while masked, interrupts stay pending in the kernel object (the eventfd counter,
 * the UIO count, the GPIO FIFO) and no ISR runs; level sources are not re-armed. Unmasking re-arms
 * and watches the descriptor again; what arrived while masked fires at once.
 */
public abstract class LinuxInterruptSource implements PollableInterruptSource, EpollWatched {

  private volatile EpollRegistration registration;
  private volatile boolean masked;
  private volatile InterruptSink sink;

  LinuxInterruptSource() {}

  @Override
  public final void connect(InterruptSink sink) {
    this.sink = sink;
    masked = false;
    onConnect();
  }

  @Override
  public final void disconnect() {
    onDisconnect();
    sink = null;
  }

  /**
   * A failure the source survives, to the listener of the device it is connected to (as a
   * descriptor's hang-up is reported); to the logger when not connected to a runtime interrupt.
   */
  final void warnDevice(String message) {
    if (sink instanceof InterruptObject interrupt) {
      interrupt.sourceWarning(message);
    } else {
      System.getLogger("dev.udriver").log(System.Logger.Level.WARNING, message);
    }
  }

  /** Whether the runtime connected this source and has not disconnected it. */
  public final boolean isConnected() {
    return sink != null;
  }

  /** Enables the interrupt at the kernel (arm a timer, {@code write(1)} to UIO, request a line). */
  void onConnect() {}

  /** Disables it again. */
  void onDisconnect() {}

  /** Re-arms after an ISR (level sources); not called while masked. */
  void rearm(boolean claimed) {}

  @Override
  public final void afterIsr(boolean claimed) {
    if (!masked) {
      rearm(claimed);
    }
  }

  /**
   * Masks the interrupt: the dispatcher stops watching the descriptor (no wake, no ISR) and level
   * sources stay un-armed. Signals accumulate in the kernel object. Any thread.
   */
  public synchronized void mask() {
    masked = true;
    EpollRegistration current = registration;
    if (current != null) {
      current.mask();
    }
  }

  /** Re-arms and watches the descriptor again; pending signals fire at once. Any thread. */
  public synchronized void unmask() {
    if (!masked) {
      return;
    }
    masked = false;
    rearm(true);
    EpollRegistration current = registration;
    if (current != null) {
      current.unmask();
    }
  }

  public final boolean isMasked() {
    return masked;
  }

  /** Called by the dispatcher's epoll wait when it starts ({@code non-null}) or stops watching. */
  @Override
  public final void watchedBy(EpollRegistration registration) {
    this.registration = registration;
  }
}
