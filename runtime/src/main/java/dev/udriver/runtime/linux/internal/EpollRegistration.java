package dev.udriver.runtime.linux.internal;

import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.PollableInterruptSource;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One source watched by an {@link EpollWaitStrategy}: the descriptor as it was at registration,
 * the sink, and the epoll {@code data} that names it ({@code generation << 32 | slot}).
 *
 * <p>{@link #mask()} and {@link #unmask()} switch the descriptor's interest between none and
 * {@code EPOLLIN} with a prepared {@code epoll_event}: no allocation. They and the deactivation at
 * unregister synchronise on this object, so no {@code epoll_ctl} for this registration runs after
 * unregister returned (the descriptor number could by then belong to another file).
 */
public final class EpollRegistration {

  final PollableInterruptSource source;
  final InterruptSink sink;
  final int fd;
  final int slot;
  final int generation;
  private final int epfd;
  private final MemorySegment watching;
  private final MemorySegment masked;
  volatile boolean active = true;
  private boolean maskedNow;

  EpollRegistration(
      int epfd, PollableInterruptSource source, InterruptSink sink, int fd, int slot, int generation) {
    this.epfd = epfd;
    this.source = source;
    this.sink = sink;
    this.fd = fd;
    this.slot = slot;
    this.generation = generation;
    Arena arena = Arena.ofAuto(); // two small structs per registration, freed with it
    this.watching = arena.allocate(EpollEvent.LAYOUT);
    this.masked = arena.allocate(EpollEvent.LAYOUT);
    EpollEvent.set(watching, 0, Libc.EPOLLIN, data());
    EpollEvent.set(masked, 0, 0, data());
  }

  long data() {
    return ((long) generation << 32) | (slot & 0xFFFF_FFFFL);
  }

  /** Stops epoll reporting the descriptor; signals stay pending in it. Any thread. */
  public synchronized void mask() {
    if (active && !maskedNow) {
      maskedNow = true;
      Libc.epollCtlHot(epfd, Libc.EPOLL_CTL_MOD, fd, masked);
    }
  }

  /**
   * Watches the descriptor again. Interest is level-triggered: what arrived while masked makes
   * the descriptor ready at once, and a dispatcher blocked in {@code epoll_wait} wakes. Any thread.
   */
  public synchronized void unmask() {
    if (active && maskedNow) {
      maskedNow = false;
      Libc.epollCtlHot(epfd, Libc.EPOLL_CTL_MOD, fd, watching);
    }
  }

  /** Called by unregister: after it no epoll_ctl of this registration runs. */
  synchronized void deactivate() {
    active = false;
  }

  @Override
  public String toString() {
    return "fd " + fd + " (" + source + ")";
  }
}
