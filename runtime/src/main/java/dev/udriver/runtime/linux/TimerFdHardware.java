package dev.udriver.runtime.linux;

import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.linux.internal.NativeCallException;
import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Periodic hardware-timer interrupts from timerfds: each named interrupt is a timer that starts
 * when the interrupt is connected (D0 entry) and stops when it is disconnected.
 *
 * <pre>{@code
 * try (TimerFdHardware timer = TimerFdHardware.builder().periodic("tick", Duration.ofMillis(1)).build();
 *      DeviceNode device = DeviceNode.create("timer0", timer)) {
 *   device.addDriver(new PeriodicTimerDriver());
 *   device.start();    // the timer runs
 * }
 * }</pre>
 */
public final class TimerFdHardware implements DeviceHardware, AutoCloseable {

  private static final int FIRST_VECTOR = 48;

  private final EdgeLinesByName<TimerFdSource> timers = new EdgeLinesByName<>("timer", FIRST_VECTOR);
  private final Arena arena = Arena.ofShared();

  private TimerFdHardware(Map<String, Duration> periods) {
    LinuxInterrupts.ensureAvailability();
    try {
      for (Map.Entry<String, Duration> entry : periods.entrySet()) {
        timers.add(
            entry.getKey(), new TimerFdSource(entry.getKey(), entry.getValue().toNanos(), arena));
      }
    } catch (NativeCallException e) {
      close();
      throw LinuxInterfaceException.of(e, "timerfd_create", null);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The timer behind {@code name}. */
  public TimerFdSource timer(String name) {
    return timers.source(name);
  }

  @Override
  public Set<String> interruptNames() {
    return timers.names();
  }

  @Override
  public int requestedInterrupts(String name) {
    return timers.requested(name);
  }

  @Override
  public List<GrantedInterrupt> assignInterrupts(String name) {
    return timers.assign(name);
  }

  @Override
  public void releaseInterrupts() {}

  @Override
  public void close() {
    timers.sources().forEach(TimerFdSource::close);
    arena.close();
  }

  /** Declares the timers. */
  public static final class Builder {
    private final Map<String, Duration> periods = new LinkedHashMap<>();

    /** A timer interrupt under {@code name} that fires every {@code period}. */
    public Builder periodic(String name, Duration period) {
      if (period.isNegative() || period.isZero()) {
        throw new IllegalArgumentException("period must be positive: " + period);
      }
      if (periods.putIfAbsent(name, period) != null) {
        throw new IllegalArgumentException("interrupt '" + name + "' declared twice");
      }
      return this;
    }

    /** Creates the timerfds (disarmed until the device starts). */
    public TimerFdHardware build() {
      return new TimerFdHardware(periods);
    }
  }
}
