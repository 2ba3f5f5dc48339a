package dev.udriver.runtime;

import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.internal.DeviceCore;
import java.util.List;
import java.util.Objects;

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
 * <p>Each device has a dispatcher thread that runs ISRs and a worker thread that runs work items,
 * both platform threads started at the first {@link #start()} and ended by {@link #close()}.
 */
public final class DeviceNode implements Device, AutoCloseable {

  private final DeviceCore core;

  private DeviceNode(String name, DeviceHardware hardware, DeviceListener listener) {
    this.core = new DeviceCore(name, hardware, listener, this);
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
   */
  public void start() {
    core.start();
  }

  /** D0 exit and release hardware: disable callbacks in reverse order, work items drained. */
  public void stop() {
    core.stop();
  }

  /** Surprise removal: as {@link #stop()}, without disable callbacks; the device cannot restart. */
  public void surpriseRemove() {
    core.surpriseRemove();
  }

  /** Stops the device if it runs and ends its threads. */
  @Override
  public void close() {
    core.close();
  }

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

  /** The interrupt objects created for one interrupt name, in creation order. */
  public List<Interrupt> getInterrupts(String name) {
    return core.interrupts().stream().filter(i -> i.getName().equals(name)).toList();
  }

  @Override
  public String toString() {
    return "DeviceNode[" + core.name() + "]";
  }
}
