package dev.udriver.runtime;

import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.internal.DeviceCore;
import dev.udriver.runtime.internal.InterruptObject;
import dev.udriver.runtime.internal.WaitStrategies;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A device, its hardware and the driver bound to it, with the lifecycle that the PnP and power
 * managers drive for a UMDF driver. The application (or a test) drives it:
 *
 * <pre>{@code
 * try (DeviceNode device = DeviceNode.create("uart0", hardware)) {
 *   device.addDriver(new UartDriver());   // DeviceAdd: interrupt objects from the generated wiring
 *   device.start();                       // prepare hardware, D0 entry: enable callbacks
 *   ...
 *   device.stop();                        // D0 exit: disable callbacks, drain work items
 * }
 * }</pre>
 *
 * <p>Each device has a worker thread that runs work items and is served by a dispatcher thread
 * that runs ISRs, both platform threads started at the first {@link #start()}. A device built in a
 * {@link DispatcherGroup} shares the group's dispatchers with the group's other devices; otherwise
 * it has a dispatcher of its own. {@link #close()} ends the device's own threads.
 *
 * <h2>Verifier</h2>
 *
 * The verifier checks the rules WDF's verifier and Static Driver Verifier check, at run time, and
 * reports each violation to {@link DeviceListener#verifierFinding} with the interrupt, the callback
 * and the stack (see {@link VerifierFinding} for the rules). It is off by default in production
 * and switched on with {@link Builder#verifier(boolean)} or, for every device that does not say,
 * with {@code -Dudriver.verifier=true} (ISR budget: {@code -Dudriver.verifier.isrBudgetNanos},
 * default 25000). The simulation test kit turns it on. Off, the ISR path pays one predictable
 * branch for it.
 *
 * <h2>Watchdog</h2>
 *
 * The watchdog thread of a started device's dispatchers (one per dispatcher group, shared by its
 * started devices, each checked at its own thresholds and reported to its own listener) reports,
 * once per call, an ISR running longer than 1 s, a work item longer than 10 s and an enable or
 * disable callback longer than 60 s (UMDF's host timeout for PnP and power callbacks) to {@link
 * DeviceListener#callbackHung}, with the stuck thread's stack; and a stop or {@code disable()} that has waited that long for one of them, to
 * {@link DeviceListener#warning}. It reports and lets the callback run on. Thresholds: {@link
 * Builder#watchdog}, or {@code -Dudriver.watchdog.isrMillis}, {@code .workItemMillis}, {@code
 * .enableDisableMillis} (0 turns one off). It reads what the ISR and work-item paths record anyway
 * and adds nothing to them.
 *
 * <h2>Lifecycle calls and the device lock</h2>
 *
 * A stop, {@link Interrupt#disable()} and a failing start wait for work items to drain, and an
 * automatically serialized work item waits for the device lock first: called holding that lock,
 * they throw {@link DeviceRuleViolation} ({@code DRAIN_UNDER_DEVICE_LOCK}) rather than wait for
 * themselves. {@link Interrupt#enable()} drains nothing (except after an interrupt storm, where it
 * is refused the same way): it waits for a lifecycle call in progress unless that call's drain
 * waits for the caller's lock or work item, and then is deferred to that call, never dropped.
 */
public final class DeviceNode implements Device, AutoCloseable {

  private final DeviceCore core;
  private final HeldLock heldLock = this::releaseLock;

  private DeviceNode(String name, DeviceHardware hardware, DeviceListener listener) {
    this.core = new DeviceCore(name, hardware, listener, this);
  }

  private DeviceNode(Builder builder) {
    this.core =
        new DeviceCore(
            builder.name,
            builder.hardware,
            builder.listener,
            this,
            builder.group == null ? null : builder.group.pool(),
            WaitStrategies.defaultDispatcherWait(),
            new DeviceCore.Settings(
                builder.verifier,
                builder.isrBudgetNanos,
                builder.isrWatchdogNanos,
                builder.workItemWatchdogNanos,
                builder.enableDisableWatchdogNanos));
  }

  /** Starts building a device: listener, dispatcher group and verifier settings. */
  public static Builder builder(String name, DeviceHardware hardware) {
    return new Builder(name, hardware);
  }

  /** A device whose events are logged ({@link DeviceListener#LOGGING}). */
  public static DeviceNode create(String name, DeviceHardware hardware) {
    return new DeviceNode(name, hardware, DeviceListener.LOGGING);
  }

  /** A device whose failures, storms and warnings go to {@code listener}. */
  public static DeviceNode create(String name, DeviceHardware hardware, DeviceListener listener) {
    return new DeviceNode(name, hardware, listener);
  }

  /**
   * Binds a driver compiled with the udriver processor: finds its generated {@link DriverWiring}
   * and creates its interrupt objects (WDF's {@code OnDeviceAdd}).
   */
  @SuppressWarnings("unchecked")
  public <D> void addDriver(D driver) {
    Objects.requireNonNull(driver, "driver");
    addDriver(driver, DriverWiring.forDriverClass((Class<D>) driver.getClass()));
  }

  /** Binds a driver with explicit wiring (generated, or written by hand). */
  public <D> void addDriver(D driver, DriverWiring<D> wiring) {
    core.addDriver(driver, wiring);
  }

  /**
   * Prepare hardware and D0 entry: assigns resources in creation order, connects each interrupt
   * that has one and runs its enable callback under the interrupt lock.
   *
   * @throws DeviceStartException when an enable callback fails; what was enabled is disabled again
   * @throws DeviceRuleViolation when the calling thread holds the device's lock: a failed start
   *     drains work items as a stop does, and a stop draining under that lock must not be waited
   *     for
   */
  public void start() {
    core.start();
  }

  /**
   * D0 exit and release hardware: disable callbacks in reverse order, work items drained.
   *
   * @throws DeviceRuleViolation when the calling thread holds the device's lock ({@link
   *     #acquireLock()}): the drain would wait for an automatically serialized work item that
   *     waits for that lock
   */
  public void stop() {
    core.stop();
  }

  /**
   * Surprise removal: as {@link #stop()} (refused as it is under the device's lock), without
   * disable callbacks; the device cannot restart.
   */
  public void surpriseRemove() {
    core.surpriseRemove();
  }

  /**
   * Stops the device if it runs and ends its threads; refused as {@link #stop()} is, under the
   * device's lock, while the device runs.
   */
  @Override
  public void close() {
    core.close();
  }

  /** Whether the device is started; takes no lock, so any thread may ask at any time. */
  public boolean isStarted() {
    return core.isStarted();
  }

  @Override
  public String getName() {
    return core.name();
  }

  @Override
  public Interrupt createInterrupt(InterruptConfig config) {
    return core.createInterrupt(config);
  }

  @Override
  public List<Interrupt> getInterrupts() {
    return core.interrupts();
  }

  @Override
  public void acquireLock() {
    core.acquireDeviceLock("acquireLock()");
  }

  @Override
  public void releaseLock() {
    core.releaseDeviceLock();
  }

  @Override
  public HeldLock lock() {
    core.acquireDeviceLock("lock()");
    return heldLock;
  }

  @Override
  public <T> T synchronize(Supplier<T> callback) {
    Objects.requireNonNull(callback, "callback");
    core.acquireDeviceLock("synchronize()");
    try {
      return callback.get();
    } finally {
      core.releaseDeviceLock();
    }
  }

  /** The interrupt objects created for one interrupt name, in creation order. */
  public List<Interrupt> getInterrupts(String name) {
    return core.interrupts().stream().filter(i -> i.getName().equals(name)).toList();
  }

  /**
   * The name of the dispatcher thread that serves {@code interrupt}'s ISR, chosen by its policy at
   * the last start; null before the first.
   */
  public static String dispatcherThreadOf(Interrupt interrupt) {
    return interrupt instanceof InterruptObject object ? object.dispatcherThreadName() : null;
  }

  @Override
  public String toString() {
    return "DeviceNode[" + core.name() + "]";
  }

  /** Builds a {@link DeviceNode}. */
  public static final class Builder {
    private final String name;
    private final DeviceHardware hardware;
    private DeviceListener listener = DeviceListener.LOGGING;
    private DispatcherGroup group;
    private boolean verifier = DeviceCore.Settings.fromSystemProperties().verifier();
    private long isrBudgetNanos = DeviceCore.Settings.fromSystemProperties().isrBudgetNanos();
    private long isrWatchdogNanos = DeviceCore.Settings.fromSystemProperties().isrWatchdogNanos();
    private long workItemWatchdogNanos =
        DeviceCore.Settings.fromSystemProperties().workItemWatchdogNanos();
    private long enableDisableWatchdogNanos =
        DeviceCore.Settings.fromSystemProperties().enableDisableWatchdogNanos();

    private Builder(String name, DeviceHardware hardware) {
      this.name = Objects.requireNonNull(name, "name");
      this.hardware = Objects.requireNonNull(hardware, "hardware");
    }

    /** Where failures, storms, warnings and verifier findings go (default: logged). */
    public Builder listener(DeviceListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The dispatchers that serve the device's interrupts (default: a dispatcher of its own). */
    public Builder group(DispatcherGroup group) {
      this.group = Objects.requireNonNull(group, "group");
      return this;
    }

    /** Turns the verifier on or off (default: {@code -Dudriver.verifier}, else off). */
    public Builder verifier(boolean on) {
      this.verifier = on;
      return this;
    }

    /** The verifier's ISR time budget (default 25 µs, the WDF guideline). */
    public Builder isrBudget(Duration budget) {
      if (budget.isNegative() || budget.isZero()) {
        throw new IllegalArgumentException("ISR budget must be positive: " + budget);
      }
      this.isrBudgetNanos = budget.toNanos();
      return this;
    }

    /**
     * The watchdog's thresholds: a callback running longer is reported once per call to {@link
     * DeviceListener#callbackHung} with its thread's stack, and a stop or {@code disable()} that
     * waits that long for it, to {@link DeviceListener#warning}. {@link Duration#ZERO} turns one
     * off. Defaults: ISR 1 s (a hung ISR holds every interrupt of its dispatcher), work item 10 s
     * (it holds the device's other work items and any stop), enable and disable 60 s (UMDF's host
     * timeout for PnP and power callbacks); {@code -Dudriver.watchdog.isrMillis}, {@code
     * .workItemMillis} and {@code .enableDisableMillis} change them for every device that does not
     * say. The watchdog adds nothing to the uncontended ISR or work-item path: one thread per
     * dispatcher group (or per device with its own dispatcher), running while any of its devices is
     * started (each through its stop), checks what they record anyway, for each device, every
     * quarter of its shortest threshold (at most 250 ms). A dispatcher or
     * worker that waits for a lock past the ISR or work-item threshold gets a warning naming the
     * holder. Devices of a deterministic {@link dev.udriver.runtime.sim.Simulation} have it off
     * unless their builder calls this.
     */
    public Builder watchdog(Duration isr, Duration workItem, Duration enableDisable) {
      this.isrWatchdogNanos = watchdogNanos("ISR", isr);
      this.workItemWatchdogNanos = watchdogNanos("work item", workItem);
      this.enableDisableWatchdogNanos = watchdogNanos("enable/disable", enableDisable);
      return this;
    }

    private static long watchdogNanos(String callback, Duration threshold) {
      if (threshold.isNegative()) {
        throw new IllegalArgumentException(callback + " watchdog threshold is negative: " + threshold);
      }
      return threshold.toNanos();
    }

    public DeviceNode build() {
      return new DeviceNode(this);
    }
  }
}
