package dev.udriver.runtime.linux;

import dev.udriver.runtime.linux.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An eventfd as an interrupt source: the mechanism VFIO uses for each MSI/MSI-X vector, and a
 * software-signalled source. {@link #signal()} from any thread adds to the counter; the dispatcher
 * reads the counter (which resets it) and the value is the number of interrupts behind the wake:
 * one ISR call, the rest counted as coalesced.
 *
 * <p>Signals raised while the interrupt is disconnected stay in the counter and are delivered at
 * the next connection, as nothing else would account for them. A stop stops reading the counter
 * before the interrupt stops accepting signals, so a count is either read and served before the
 * disable callback or left in the counter: none is read and then dropped.
 */
public final class EventFdSource extends LinuxInterruptSource {

  private static final MemorySegment ONE = Arena.global().allocate(ValueLayout.JAVA_LONG);

  static {
    ONE.set(ValueLayout.JAVA_LONG, 0, 1L);
  }

  private static final ThreadLocal<MemorySegment> WRITE_BUFFER =
      ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ValueLayout.JAVA_LONG));

  private final String name;
  private final int fd;
  private final MemorySegment readBuffer; // the dispatcher's
  private volatile boolean closed;

  EventFdSource(String name, Arena arena) {
    this.name = name;
    this.fd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
    this.readBuffer = arena.allocate(ValueLayout.JAVA_LONG);
  }

  /** Raises one interrupt. Any thread; no allocation. */
  public void signal() {
    if (!closed) {
      Libc.writeHot(fd, ONE, 8);
    }
  }

  /** Raises {@code count} interrupts at once (they coalesce into one ISR call). Any thread. */
  public void signal(long count) {
    if (count <= 0 || closed) {
      return;
    }
    MemorySegment buffer = WRITE_BUFFER.get();
    buffer.set(ValueLayout.JAVA_LONG, 0, count);
    Libc.writeHot(fd, buffer, 8);
  }

  @Override
  public int fd() {
    return fd;
  }

  /** One read: it returns the whole counter and resets it, so a second could only find EAGAIN. */
  @Override
  public long readSignals() {
    if (Libc.readHot(fd, readBuffer, 8) != 8) {
      return 0; // EAGAIN: already read
    }
    return readBuffer.get(ValueLayout.JAVA_LONG, 0);
  }

  void close() {
    closed = true;
    Libc.close(fd);
  }

  @Override
  public String toString() {
    return "eventfd " + name + " (fd " + fd + ")";
  }
}
