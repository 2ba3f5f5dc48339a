package dev.udriver.runtime.linux;

import dev.udriver.runtime.linux.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A periodic timerfd ({@code CLOCK_MONOTONIC}) as an interrupt source: armed on connect, disarmed
 * on disconnect. The expiration count read at each wake is the number of ticks behind it; ticks
 * the dispatcher could not take in time (overruns) show as coalesced.
 */
public final class TimerFdSource extends LinuxInterruptSource {

  private final String name;
  private final long periodNanos;
  private final int fd;
  private final MemorySegment readBuffer;

  TimerFdSource(String name, long periodNanos, Arena arena) {
    this.name = name;
    this.periodNanos = periodNanos;
    this.fd = Libc.timerfdCreate(Libc.CLOCK_MONOTONIC, Libc.TFD_NONBLOCK | Libc.TFD_CLOEXEC);
    this.readBuffer = arena.allocate(ValueLayout.JAVA_LONG);
  }

  public long periodNanos() {
    return periodNanos;
  }

  @Override
  void onConnect() {
    Libc.timerfdSettime(fd, periodNanos, periodNanos);
  }

  @Override
  void onDisconnect() {
    Libc.timerfdSettime(fd, 0, 0);
  }

  @Override
  public int fd() {
    return fd;
  }

  /** One read: it returns every expiration since the last read and resets the count. */
  @Override
  public long readSignals() {
    if (Libc.readHot(fd, readBuffer, 8) != 8) {
      return 0;
    }
    return readBuffer.get(ValueLayout.JAVA_LONG, 0);
  }

  void close() {
    Libc.close(fd);
  }

  @Override
  public String toString() {
    return "timerfd " + name + " (fd " + fd + ", period " + periodNanos + " ns)";
  }
}
