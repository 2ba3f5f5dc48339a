package dev.udriver.runtime;

import dev.udriver.runtime.internal.DispatcherPool;
import dev.udriver.runtime.internal.NanoClock;
import dev.udriver.runtime.internal.SpinThenParkWaitStrategy;
import dev.udriver.runtime.internal.ThreadPinning;
import dev.udriver.runtime.internal.WaitStrategies;
import dev.udriver.runtime.internal.WaitStrategy;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Dispatcher threads shared by several devices: the realistic shape, where one machine runs several
 * drivers and a few threads serve all their interrupts. Devices are created in a group with {@link
 * #device(String, dev.udriver.runtime.hardware.DeviceHardware)}; a device created without one
 * ({@link DeviceNode#create}) gets a dispatcher of its own, ended with it.
 *
 * <pre>{@code
 * try (DispatcherGroup isr = DispatcherGroup.builder("board").build();
 *      DeviceNode uart = isr.device("uart0", uartHardware).build();
 *      DeviceNode gpio = isr.device("gpio0", gpioHardware).build()) {
 *   uart.addDriver(new UartDriver());
 *   gpio.addDriver(new ButtonDriver());
 *   uart.start();
 *   gpio.start();   // both drivers' ISRs run on the thread "udriver-isr-board"
 * }
 * }</pre>
 *
 * <p>Affinity policy is applied when a device assigns resources and decides which dispatcher serves
 * an interrupt: the group's unpinned dispatchers for {@code MACHINE_DEFAULT}, {@code
 * ALL_CLOSE_PROCESSORS} and {@code ALL_PROCESSORS_IN_MACHINE}; a dispatcher pinned to the processor
 * set for {@code SPECIFIED_PROCESSORS} (one per distinct set, shared by the interrupts that name
 * it); one pinned to a single processor for {@code ONE_CLOSE_PROCESSOR}; and for {@code
 * SPREAD_MESSAGES_ACROSS_ALL_PROCESSORS}, MSI message n goes to the dispatcher pinned to processor
 * n mod the processor count. Pinning uses {@code sched_setaffinity} on Linux (through the FFM API;
 * run with {@code --enable-native-access=ALL-UNNAMED} to silence the JVM's warning) and fails soft
 * elsewhere: the thread runs unpinned and the device listener gets a warning.
 *
 * <p>Priority orders the pending interrupts of a dispatcher (HIGH before NORMAL before LOW) and sets
 * its thread's priority for the highest-priority interrupt it serves: a Java priority (LOW 3, NORMAL
 * 5, HIGH 10), which HotSpot on Linux ignores by default, and on Linux a nice value relative to the
 * one the thread started with: LOW +5, NORMAL unchanged, HIGH −5. The nice value is set with {@code
 * setpriority(PRIO_PROCESS, tid, nice)} on the dispatcher thread's own id, through the FFM API. When
 * the device of the dispatcher's highest interrupt is closed, the dispatcher falls back to the
 * highest priority it still serves (and so a HIGH dispatcher's nice value goes up again); one left
 * serving nothing keeps its value. Going below the thread's current nice value needs {@code
 * CAP_SYS_NICE} or a permitting {@code RLIMIT_NICE}: without it the call fails with {@code EACCES},
 * the group's listener gets a warning naming the dispatcher, the priority and the errno, and the
 * dispatcher runs on at its current nice value ({@link #describe()} shows both). {@code
 * -Dudriver.nice=false} leaves nice values alone.
 *
 * <p>Each device keeps a work-item thread of its own, so a slow work item of one driver does not
 * hold up another's, and disabling an interrupt drains only its own device's work items.
 */
public final class DispatcherGroup implements AutoCloseable {

  /** How idle dispatchers wait for the next interrupt. */
  public enum IdleWait {
    /**
     * Park at once; a signal pays one thread wake-up (the platform default, which may wait on file
     * descriptors for Linux sources).
     */
    PARK,
    /**
     * Spin for a short time, bounded in nanoseconds and adapted to how often spinning catches the
     * next interrupt, then park. Lower hand-off latency for bursts; it backs off to parking when a
     * busy machine makes spinning pointless.
     */
    SPIN_THEN_PARK
  }

  private final DispatcherPool pool;
  private final String name;

  private DispatcherGroup(String name, DispatcherPool pool) {
    this.name = name;
    this.pool = pool;
  }

  /** A group named {@code name} with one unpinned dispatcher that parks when idle. */
  public static DispatcherGroup create(String name) {
    return builder(name).build();
  }

  public static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Wraps a dispatcher pool built by the runtime itself (the simulation builds a manual one).
   * Not for applications: the pool type is internal.
   */
  public static DispatcherGroup ofPool(String name, DispatcherPool pool) {
    return new DispatcherGroup(name, Objects.requireNonNull(pool, "pool"));
  }

  /** Starts building a device whose interrupts this group serves. */
  public DeviceNode.Builder device(String deviceName, dev.udriver.runtime.hardware.DeviceHardware hardware) {
    return DeviceNode.builder(deviceName, hardware).group(this);
  }

  public String name() {
    return name;
  }

  /**
   * One line per dispatcher: thread name, pinning, priority (Java priority and nice value, or why
   * the nice value is not the one asked for), the work-item hold and why pinning failed, if it did.
   */
  public List<String> describe() {
    return pool.describe();
  }

  /** The internal pool (the runtime's own use). */
  public DispatcherPool pool() {
    return pool;
  }

  /**
   * Ends the group's dispatcher threads after they serve what was handed to them. Stop the devices
   * first; a device of a closed group cannot start.
   */
  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "DispatcherGroup[" + name + "]";
  }

  /** Builds a {@link DispatcherGroup}. */
  public static final class Builder {
    private final String name;
    private int dispatchers = 1;
    private IdleWait idleWait = IdleWait.PARK;
    private boolean timing = true;
    private DeviceListener listener = DeviceListener.LOGGING;
    private long workItemHoldNanos = DispatcherPool.Settings.DEFAULT_WORK_ITEM_HOLD_NANOS;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * Unpinned dispatchers (default 1); devices are spread over them round robin, all interrupts
     * of a device on one.
     */
    public Builder dispatchers(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("dispatchers must be at least 1: " + count);
      }
      this.dispatchers = count;
      return this;
    }

    public Builder idleWait(IdleWait idleWait) {
      this.idleWait = Objects.requireNonNull(idleWait, "idleWait");
      return this;
    }

    /**
     * Whether ISR calls and ISR → work-item latencies are timed for the statistics (default true;
     * one clock read per ISR call and two per work item run). The verifier times ISRs regardless.
     */
    public Builder timing(boolean timing) {
      this.timing = timing;
      return this;
    }

    /**
     * How long a saturated dispatcher may hold back the work items its ISRs queue before it hands
     * them to the work-item threads, together (default 50 µs, at most 10 ms). A dispatcher that
     * runs out of pending interrupts hands them over at once, so this only matters while
     * interrupts arrive back to back: there, each hand-over costs the dispatcher a few
     * microseconds (the worker's writes to each item it ran come back as cache misses, and a
     * parked worker needs a wake-up), and holding longer lets more queue requests coalesce, for
     * more ISR calls per second, at the price of up to this much more ISR → work-item latency (as a
     * network card's interrupt moderation trades latency for rate). {@link Duration#ZERO} hands
     * them over after every round of ISR calls. With timing off the hold is counted in ISR calls
     * (one per 24 ns of it).
     *
     * @throws IllegalArgumentException when negative or longer than 10 ms
     */
    public Builder workItemHold(Duration maxHold) {
      long nanos;
      try {
        nanos = Objects.requireNonNull(maxHold, "maxHold").toNanos();
      } catch (ArithmeticException tooLong) {
        nanos = Long.MAX_VALUE;
      }
      if (nanos < 0 || nanos > DispatcherPool.Settings.MAX_WORK_ITEM_HOLD_NANOS) {
        throw new IllegalArgumentException(
            "dispatcher group " + name + ": work-item hold must be between 0 and 10 ms, not "
                + maxHold);
      }
      this.workItemHoldNanos = nanos;
      return this;
    }

    /** Where pinning failures and recovered dispatcher failures are reported (warnings). */
    public Builder listener(DeviceListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public DispatcherGroup build() {
      WaitStrategy.Factory wait =
          idleWait == IdleWait.PARK
              ? WaitStrategies.defaultDispatcherWait()
              : SpinThenParkWaitStrategy.FACTORY;
      DeviceListener reporter = listener;
      return new DispatcherGroup(
          name,
          new DispatcherPool(
              new DispatcherPool.Settings(
                  "udriver-isr-" + name,
                  dispatchers,
                  wait,
                  ThreadPinning.platformDefault(),
                  NanoClock.SYSTEM,
                  timing,
                  false,
                  reporter::warning,
                  workItemHoldNanos)));
    }
  }
}
