package dev.udriver.runtime.linux.internal;

/**
 * A pollable source that wants to know where it is watched, so that it can mask itself at the
 * epoll set (hybrid interrupt/poll mode) without the dispatcher's help.
 */
public interface EpollWatched {

  /** The wait strategy started watching the source; {@code null} when it stopped. */
  void watchedBy(EpollRegistration registration);
}
