package dev.udriver.runtime.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.udriver.runtime.linux.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * Stands in for a GPIO line request where no chip exists: a pipe carrying real {@code struct
 * gpio_v2_line_event} records (48 bytes: timestamp_ns, id, offset, seqno, line_seqno, padding),
 * numbered as the kernel numbers them. {@link #dropOldest(int, int)} models the kernel FIFO
 * dropping events when it is full: their sequence numbers are used up, their records never
 * written.
 *
 * <pre>{@code
 * try (GpioStandIn line = GpioStandIn.create("button", 17);
 *      DeviceNode device = DeviceNode.create("button", line.hardware())) {
 *   device.addDriver(new GpioButtonDriver(line.hardware().events("button")));
 *   device.start();
 *   line.edge(17, false);      // a falling edge, timestamped now
 * }
 * }</pre>
 */
public final class GpioStandIn implements AutoCloseable {

  private final int readEnd;
  private final int writeEnd;
  private final GpioHardware hardware;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment record;
  private final Map<Integer, Integer> lineSeqnos = new HashMap<>();
  private int seqno;
  private boolean hungUp;

  private GpioStandIn(String name, int[] offsets) {
    LinuxInterrupts.ensureAvailability();
    int[] pipe = Libc.pipe(Libc.O_NONBLOCK | Libc.O_CLOEXEC);
    readEnd = pipe[0];
    writeEnd = pipe[1];
    record = arena.allocate(GpioLineSource.EVENT_SIZE, 8);
    hardware = GpioHardware.standIn(name, readEnd, offsets);
  }

  /** A stand-in for a request of {@code offsets} declared as the interrupt {@code name}. */
  public static GpioStandIn create(String name, int... offsets) {
    return new GpioStandIn(name, offsets);
  }

  public GpioHardware hardware() {
    return hardware;
  }

  /** An edge on line {@code offset}, timestamped now (CLOCK_MONOTONIC). */
  public void edge(int offset, boolean rising) {
    edge(offset, rising, System.nanoTime());
  }

  /** An edge with an explicit kernel timestamp. */
  public synchronized void edge(int offset, boolean rising, long timestampNs) {
    if (hungUp) {
      throw new IllegalStateException("the stand-in hung up");
    }
    seqno++;
    int lineSeqno = lineSeqnos.merge(offset, 1, Integer::sum);
    record.fill((byte) 0);
    record.set(JAVA_LONG, 0, timestampNs);
    record.set(JAVA_INT, 8, rising ? GpioLineEvents.RISING_EDGE : GpioLineEvents.FALLING_EDGE);
    record.set(JAVA_INT, 12, offset);
    record.set(JAVA_INT, 16, seqno);
    record.set(JAVA_INT, 20, lineSeqno);
    long written = Libc.writeHot(writeEnd, record, GpioLineSource.EVENT_SIZE);
    if (written != GpioLineSource.EVENT_SIZE) {
      throw new IllegalStateException("the stand-in pipe is full: " + written);
    }
  }

  /** {@code count} edges on {@code offset} that the kernel FIFO dropped: numbered, never read. */
  public synchronized void dropOldest(int count, int offset) {
    seqno += count;
    lineSeqnos.merge(offset, count, Integer::sum);
  }

  /**
   * Closes the writing end: the request's descriptor reports a hang-up, as a line request whose
   * chip went away does. No edge can be sent after this.
   */
  public synchronized void hangUp() {
    if (!hungUp) {
      hungUp = true;
      Libc.close(writeEnd);
    }
  }

  @Override
  public void close() {
    hardware.close();
    hangUp();
    Libc.close(readEnd);
    arena.close();
  }
}
