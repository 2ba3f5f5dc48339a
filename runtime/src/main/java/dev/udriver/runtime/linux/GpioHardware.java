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
 * line), not line numbers; the period is in microseconds, as the kernel takes it. Tests use {@link
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
    private record Request(int[] offsets, long flags, int debounceMicros) {}

    private final String chipPath;
    private final Map<String, Request> requests = new LinkedHashMap<>();

    private Builder(String chipPath) {
      this.chipPath = chipPath;
    }

    /** One input line as the interrupt {@code name}. {@code debounce} zero: none. */
    public Builder line(String name, int offset, Edge edge, Bias bias, Duration debounce) {
      return lines(name, new int[] {offset}, edge, bias, debounce);
    }

    /** Several lines in one request (one descriptor, one interrupt; events carry the offset). */
    public Builder lines(String name, int[] offsets, Edge edge, Bias bias, Duration debounce) {
      if (offsets.length == 0 || offsets.length > 64) {
        throw new IllegalArgumentException("a line request has 1 to 64 lines");
      }
      long micros = debounce.toNanos() / 1_000;
      if (micros < 0 || micros > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("debounce out of range: " + debounce);
      }
      long flags = GpioLineSource.FLAG_INPUT | edge.flags | bias.flags;
      if (requests.putIfAbsent(name, new Request(offsets.clone(), flags, (int) micros)) != null) {
        throw new IllegalArgumentException("interrupt '" + name + "' declared twice");
      }
      return this;
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
        for (Map.Entry<String, Request> entry : requests.entrySet()) {
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
      for (Map.Entry<String, Request> entry : requests.entrySet()) {
        Request request = entry.getValue();
        hardware.add(
            entry.getKey(),
            new GpioLineSource(
                entry.getKey(), chipPath, fd, request.offsets(), request.flags(),
                request.debounceMicros(), hardware.arena));
      }
      return hardware;
    }
  }
}
