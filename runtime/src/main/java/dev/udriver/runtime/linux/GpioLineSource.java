package dev.udriver.runtime.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.udriver.runtime.linux.internal.Ioctl;
import dev.udriver.runtime.linux.internal.Libc;
import dev.udriver.runtime.linux.internal.NativeCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The edge interrupts of one GPIO line request (character device uAPI v2): connecting requests
 * the lines with edge detection and the kernel debounce ({@code GPIO_V2_GET_LINE_IOCTL}),
 * disconnecting releases them (edges while disconnected are not queued, as the kernel does not
 * queue them). Each wake reads up to {@value #BATCH} {@code struct gpio_v2_line_event} records into
 * {@link #events()}; their number is the signal count.
 */
public final class GpioLineSource extends LinuxInterruptSource {

  /** {@code sizeof(struct gpio_v2_line_event)}. */
  public static final int EVENT_SIZE = 48;

  static final int BATCH = 16;
  /** {@code sizeof(struct gpio_v2_line_request)} and the offsets of its fields after config. */
  static final int REQUEST_SIZE = 592;
  static final int OFFSET_NUM_LINES = 560;
  static final int OFFSET_EVENT_BUFFER_SIZE = 564;
  static final int OFFSET_FD = 588;
  static final long FLAG_INPUT = 1L << 2;
  static final long FLAG_EDGE_RISING = 1L << 4;
  static final long FLAG_EDGE_FALLING = 1L << 5;
  static final long FLAG_BIAS_PULL_UP = 1L << 8;
  static final long FLAG_BIAS_PULL_DOWN = 1L << 9;
  static final long FLAG_BIAS_DISABLED = 1L << 10;
  static final int ATTR_ID_DEBOUNCE = 3;

  private final String name;
  private final String chipPath;
  private final int chipFd; // -1 for a stand-in
  private final LineRequest request;
  private final GpioLineEvents events;
  private final MemorySegment buffer; // the dispatcher's
  private volatile int lineFd;

  /**
   * What one line request asks of the kernel ({@code struct gpio_v2_line_request} less the
   * consumer label). {@code eventBufferSize} 0 leaves the kernel's default (16 per line).
   */
  record LineRequest(int[] offsets, long flags, int debounceMicros, int eventBufferSize) {
    LineRequest {
      offsets = offsets.clone();
    }

    @Override
    public int[] offsets() {
      return offsets.clone();
    }

    /** Builds {@code struct gpio_v2_line_request} (layout in include/uapi/linux/gpio.h). */
    MemorySegment encode(Arena arena, String consumer) {
      MemorySegment request = arena.allocate(REQUEST_SIZE, 8); // zeroed: padding must be 0
      for (int i = 0; i < offsets.length; i++) {
        request.set(JAVA_INT, 4L * i, offsets[i]);
      }
      byte[] label = consumer.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      MemorySegment.copy(
          MemorySegment.ofArray(label), 0, request, 256, Math.min(label.length, 31));
      request.set(JAVA_LONG, 288, flags); // config.flags
      if (debounceMicros > 0) {
        request.set(JAVA_INT, 296, 1); // config.num_attrs
        long attr = 320; // config.attrs[0]
        request.set(JAVA_INT, attr, ATTR_ID_DEBOUNCE);
        request.set(JAVA_INT, attr + 8, debounceMicros); // union: debounce_period_us
        request.set(JAVA_LONG, attr + 16, offsets.length == 64 ? -1L : (1L << offsets.length) - 1);
      }
      request.set(JAVA_INT, OFFSET_NUM_LINES, offsets.length);
      request.set(JAVA_INT, OFFSET_EVENT_BUFFER_SIZE, eventBufferSize);
      return request;
    }
  }

  GpioLineSource(String name, String chipPath, int chipFd, LineRequest request, Arena arena) {
    this.name = name;
    this.chipPath = chipPath;
    this.chipFd = chipFd;
    this.request = request;
    this.events = new GpioLineEvents(ringCapacity(request));
    this.buffer = arena.allocate((long) EVENT_SIZE * BATCH, 8);
    this.lineFd = -1;
  }

  /**
   * At least the kernel's buffer (rounded up to a power of two, as the kernel's kfifo is), and no
   * fewer than 256: an ISR that leaves events in the ring while the kernel's fills again should
   * lose them in neither.
   */
  static int ringCapacity(LineRequest request) {
    int kernelEvents =
        request.eventBufferSize() != 0 ? request.eventBufferSize() : 16 * request.offsets().length;
    return Math.max(256, Integer.highestOneBit(kernelEvents - 1) << 1);
  }

  /** A source reading event records from {@code fd} (a stand-in: a pipe). */
  static GpioLineSource overDescriptor(String name, int fd, int[] offsets, Arena arena) {
    GpioLineSource source =
        new GpioLineSource(name, "stand-in", -1, new LineRequest(offsets, 0, 0, 0), arena);
    source.lineFd = fd;
    return source;
  }

  /** The events the ISR takes. */
  public GpioLineEvents events() {
    return events;
  }

  /** The line offsets of the request; message ids index them. */
  public int[] offsets() {
    return request.offsets();
  }

  @Override
  void onConnect() {
    events.restartSequence();
    if (chipFd < 0) {
      return; // stand-in: the descriptor is fixed
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment encoded = request.encode(arena, "udriver-" + name);
      Libc.ioctl(chipFd, Ioctl.GPIO_V2_GET_LINE, encoded, "GPIO_V2_GET_LINE_IOCTL on " + chipPath);
      int fd = encoded.get(JAVA_INT, OFFSET_FD);
      Libc.setNonBlocking(fd);
      lineFd = fd;
    } catch (NativeCallException e) {
      throw LinuxInterfaceException.of(
          e,
          chipPath + " lines " + java.util.Arrays.toString(request.offsets()),
          e.errno() == Libc.EBUSY
              ? "another consumer holds the line (see gpioinfo)"
              : "the kernel needs the GPIO character device uAPI v2 (Linux 5.10+) and the lines"
                  + " must exist on the chip");
    }
  }

  @Override
  void onDisconnect() {
    if (chipFd >= 0) {
      int fd = lineFd;
      lineFd = -1;
      Libc.close(fd);
    }
  }

  @Override
  public int fd() {
    return lineFd;
  }

  /**
   * One read of up to {@value #BATCH} records. The kernel FIFO can hold more (16 per line by
   * default); what this read leaves keeps the descriptor readable, and the level-triggered wait
   * returns at once for the rest. Reading until EAGAIN would add a failing read to every wake to
   * spare an {@code epoll_wait} only in that rare backlog.
   */
  @Override
  public long readSignals() {
    long n = Libc.readHot(lineFd, buffer, buffer.byteSize());
    if (n < EVENT_SIZE) {
      return 0;
    }
    int records = (int) (n / EVENT_SIZE);
    for (int i = 0; i < records; i++) {
      long base = (long) i * EVENT_SIZE;
      events.offer(
          buffer.get(JAVA_LONG, base),
          buffer.get(JAVA_INT, base + 8),
          buffer.get(JAVA_INT, base + 12),
          buffer.get(JAVA_INT, base + 16),
          buffer.get(JAVA_INT, base + 20));
    }
    return records;
  }

  @Override
  public String toString() {
    return "GPIO " + chipPath + " " + name + " " + java.util.Arrays.toString(request.offsets());
  }
}
