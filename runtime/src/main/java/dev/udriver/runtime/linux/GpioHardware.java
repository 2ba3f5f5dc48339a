package dev.udriver.runtime.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.linux.internal.Ioctl;
import dev.udriver.runtime.linux.internal.Libc;
import dev.udriver.runtime.linux.internal.NativeCallException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * GPIO lines of a chip ({@code /dev/gpiochipN}, character device uAPI v2) as edge interrupts. Each
 * named interrupt is one line request (one or more lines, one descriptor, one interrupt object);
 * the kernel timestamps and sequence numbers reach the ISR through {@link #events(String)}.
 *
 * <pre>{@code
 * try (GpioHardware gpio = GpioHardware.builder("/dev/gpiochip0")
 *          .line("button", 17, Edge.FALLING, Bias.PULL_UP, Duration.ofMillis(5))
 *          .build();
 *      DeviceNode device = DeviceNode.create("button", gpio)) {
 *   device.addDriver(new GpioButtonDriver(gpio.events("button")));
 *   device.start();      // the line is requested with edge detection and 5 ms kernel debounce
 * }
 * }</pre>
 *
 * The debounce attribute's mask indexes {@code offsets[]} of the request (bit i = the i-th
 * line), not line numbers; the period is in microseconds, as the kernel takes it. Edges wait in a
 * kernel FIFO of 16 events per line until the dispatcher reads them; a line that bursts faster
 * asks for a larger one with {@link Builder#line(String, int, Edge, Bias, Duration, int)}, e.g.
 * {@code .line("encoder", 5, Edge.BOTH, Bias.AS_IS, Duration.ZERO, 256)}. Tests use {@link
 * GpioStandIn}, which writes real {@code gpio_v2_line_event} records into a pipe.
 */
public final class GpioHardware implements DeviceHardware, AutoCloseable {

  /** Which edges interrupt. */
  public enum Edge {
    RISING(GpioLineSource.FLAG_EDGE_RISING),
    FALLING(GpioLineSource.FLAG_EDGE_FALLING),
    BOTH(GpioLineSource.FLAG_EDGE_RISING | GpioLineSource.FLAG_EDGE_FALLING);

    final long flags;

    Edge(long flags) {
      this.flags = flags;
    }
  }

  /** The line's bias. */
  public enum Bias {
    AS_IS(0),
    PULL_UP(GpioLineSource.FLAG_BIAS_PULL_UP),
    PULL_DOWN(GpioLineSource.FLAG_BIAS_PULL_DOWN),
    DISABLED(GpioLineSource.FLAG_BIAS_DISABLED);

    final long flags;

    Bias(long flags) {
      this.flags = flags;
    }
  }

  /** {@code event_buffer_size} 0: the kernel buffers 16 events per line of the request. */
  public static final int KERNEL_DEFAULT_EVENT_BUFFER = 0;

  /** The largest event buffer the kernel allocates: {@code GPIO_V2_LINES_MAX * 16}. */
  public static final int MAX_EVENT_BUFFER = 1024;

  /** The kernel's FIFO needs two entries; a request for 1 fails with EINVAL. */
  static final int MIN_EVENT_BUFFER = 2;

  private static final int FIRST_VECTOR = 160;

  private final String chipPath;
  private final int chipFd;
  private final Arena arena = Arena.ofShared();
  private final EdgeLinesByName<GpioLineSource> sources =
      new EdgeLinesByName<>("GPIO interrupt", FIRST_VECTOR);

  private GpioHardware(String chipPath, int chipFd) {
    this.chipPath = chipPath;
    this.chipFd = chipFd;
  }

  public static Builder builder(String chipPath) {
    return new Builder(chipPath);
  }

  /** Hardware over stand-in descriptors (see {@link GpioStandIn}). */
  static GpioHardware standIn(String name, int fd, int[] offsets) {
    GpioHardware hardware = new GpioHardware("stand-in", -1);
    hardware.add(name, GpioLineSource.overDescriptor(name, fd, offsets, hardware.arena));
    return hardware;
  }

  private void add(String name, GpioLineSource source) {
    sources.add(name, source);
  }

  /** The events of the line request {@code name}, for its ISR. */
  public GpioLineEvents events(String name) {
    return source(name).events();
  }

  public GpioLineSource source(String name) {
    return sources.source(name);
  }

  @Override
  public Set<String> interruptNames() {
    return sources.names();
  }

  @Override
  public int requestedInterrupts(String name) {
    return sources.requested(name);
  }

  @Override
  public List<GrantedInterrupt> assignInterrupts(String name) {
    return sources.assign(name);
  }

  @Override
  public void releaseInterrupts() {}

  /** Closes the chip (line requests are released when their interrupts disconnect). */
  @Override
  public void close() {
    Libc.close(chipFd);
    arena.close();
  }

  @Override
  public String toString() {
    return "GpioHardware[" + chipPath + " " + sources.names() + "]";
  }

  /** Declares line requests. */
  public static final class Builder {
    private final String chipPath;
    private final Map<String, GpioLineSource.LineRequest> requests = new LinkedHashMap<>();

    private Builder(String chipPath) {
      this.chipPath = chipPath;
    }

    /** One input line as the interrupt {@code name}. {@code debounce} zero: none. */
    public Builder line(String name, int offset, Edge edge, Bias bias, Duration debounce) {
      return lines(name, new int[] {offset}, edge, bias, debounce, KERNEL_DEFAULT_EVENT_BUFFER);
    }

    /**
     * One input line as the interrupt {@code name}, with the kernel's event buffer set to {@code
     * eventBufferSize} events (see {@link #lines(String, int[], Edge, Bias, Duration, int)}).
     */
    public Builder line(
        String name, int offset, Edge edge, Bias bias, Duration debounce, int eventBufferSize) {
      return lines(name, new int[] {offset}, edge, bias, debounce, eventBufferSize);
    }

    /** Several lines in one request (one descriptor, one interrupt; events carry the offset). */
    public Builder lines(String name, int[] offsets, Edge edge, Bias bias, Duration debounce) {
      return lines(name, offsets, edge, bias, debounce, KERNEL_DEFAULT_EVENT_BUFFER);
    }

    /**
     * Several lines in one request, with the kernel's event buffer for the request set to {@code
     * eventBufferSize} events ({@code gpio_v2_line_request.event_buffer_size}).
     *
     * <p>The kernel queues a request's edges in one FIFO until the dispatcher reads them. By
     * default ({@value #KERNEL_DEFAULT_EVENT_BUFFER} here) it holds 16 events per line of the
     * request. When it is full the kernel drops the oldest event; the ISR sees the loss as {@link
     * GpioLineEvents#missedBefore()}. Raise it for lines that burst faster than the ISR is
     * reached: pulse trains, encoders, an ISR or a pause (GC, scheduling) that keeps the dispatcher
     * away for more than 16 edges. It absorbs bursts, not a sustained rate above what the ISR
     * serves.
     *
     * <p>Cost: kernel memory, allocated when the lines are requested (at start) and freed when
     * they are released (at stop): 48 bytes ({@code struct gpio_v2_line_event}) per entry, the
     * size rounded up to a power of two by the kernel's FIFO, so 40 buys 64 entries, 3 KiB, and
     * {@value #MAX_EVENT_BUFFER} entries take 48 KiB.
     *
     * @param eventBufferSize {@value #KERNEL_DEFAULT_EVENT_BUFFER} for the kernel default (16 x
     *     lines), otherwise 2 to {@value #MAX_EVENT_BUFFER} (the kernel's cap: 64 lines x 16; it
     *     would silently shrink a larger value, and fails a request for 1 as a FIFO needs 2)
     * @throws IllegalArgumentException naming the interrupt and the limit when out of range
     */
    public Builder lines(
        String name, int[] offsets, Edge edge, Bias bias, Duration debounce, int eventBufferSize) {
      if (offsets.length == 0 || offsets.length > 64) {
        throw new IllegalArgumentException("a line request has 1 to 64 lines");
      }
      long micros = debounce.toNanos() / 1_000;
      if (micros < 0 || micros > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("debounce out of range: " + debounce);
      }
      if (eventBufferSize != KERNEL_DEFAULT_EVENT_BUFFER
          && (eventBufferSize < MIN_EVENT_BUFFER || eventBufferSize > MAX_EVENT_BUFFER)) {
        throw new IllegalArgumentException(
            "GPIO interrupt '" + name + "': event buffer size " + eventBufferSize
                + " out of range; the kernel takes " + MIN_EVENT_BUFFER + " to " + MAX_EVENT_BUFFER
                + " events, or " + KERNEL_DEFAULT_EVENT_BUFFER + " for its default of 16 per line");
      }
      long flags = GpioLineSource.FLAG_INPUT | edge.flags | bias.flags;
      GpioLineSource.LineRequest request =
          new GpioLineSource.LineRequest(offsets, flags, (int) micros, eventBufferSize);
      if (requests.putIfAbsent(name, request) != null) {
        throw new IllegalArgumentException("interrupt '" + name + "' declared twice");
      }
      return this;
    }

    /** The request declared as {@code name}, as it will be encoded at start. */
    GpioLineSource.LineRequest request(String name) {
      return requests.get(name);
    }

    /**
     * Opens the chip and checks it speaks the GPIO character device uAPI.
     *
     * @throws LinuxInterfaceException naming the missing chip node, permission or interface
     */
    public GpioHardware build() {
      LinuxInterrupts.ensureAvailability();
      int fd;
      try {
        fd = Libc.open(chipPath, Libc.O_RDWR | Libc.O_CLOEXEC);
      } catch (NativeCallException e) {
        throw LinuxInterfaceException.of(
            e, chipPath, "a GPIO chip node (gpiodetect lists them); the user needs access to it,"
                + " usually through the gpio group");
      }
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment info = arena.allocate(68, 4);
        Libc.ioctl(fd, Ioctl.GPIO_GET_CHIPINFO, info, "GPIO_GET_CHIPINFO_IOCTL on " + chipPath);
        int lines = info.get(JAVA_INT, 64);
        for (Map.Entry<String, GpioLineSource.LineRequest> entry : requests.entrySet()) {
          for (int offset : entry.getValue().offsets()) {
            if (offset < 0 || offset >= lines) {
              Libc.close(fd);
              throw new LinuxInterfaceException(
                  LinuxInterfaceException.Missing.DEVICE_NODE,
                  chipPath + " has " + lines + " lines; '" + entry.getKey() + "' asks for line "
                      + offset);
            }
          }
        }
      } catch (NativeCallException e) {
        Libc.close(fd);
        throw LinuxInterfaceException.of(e, chipPath + " (not a GPIO character device?)", null);
      }
      GpioHardware hardware = new GpioHardware(chipPath, fd);
      for (Map.Entry<String, GpioLineSource.LineRequest> entry : requests.entrySet()) {
        hardware.add(
            entry.getKey(),
            new GpioLineSource(entry.getKey(), chipPath, fd, entry.getValue(), hardware.arena));
      }
      return hardware;
    }
  }
}
