package dev.udriver.runtime.internal;

import dev.udriver.runtime.linux.LinuxInterrupts;
import dev.udriver.runtime.linux.internal.EpollWaitStrategy;

/**
 * Chooses how dispatchers wait by default: in {@code epoll_wait} on Linux when the FFM probe
 * ({@link LinuxInterrupts}) succeeded, so that eventfd, timerfd, UIO, VFIO and GPIO sources are
 * served on the dispatcher with no hand-off; parking everywhere else. {@code
 * -Dudriver.linux.disabled=true} forces parking; {@link #unavailabilityCause()} says why epoll
 * is not used.
 */
public final class WaitStrategies {

  private WaitStrategies() {}

  /**
   * The wait of a dispatcher whose device names none: epoll when available (it serves pollable
   * sources and every source that signals from a thread), else parking (threads only).
   */
  public static WaitStrategy.Factory defaultDispatcherWait() {
    return LinuxInterrupts.isAvailable() ? EpollWaitStrategy.FACTORY : ParkWaitStrategy.FACTORY;
  }

  /** Why dispatchers park instead of waiting in epoll; null when they use epoll. */
  public static Throwable unavailabilityCause() {
    return LinuxInterrupts.unavailabilityCause();
  }
}
