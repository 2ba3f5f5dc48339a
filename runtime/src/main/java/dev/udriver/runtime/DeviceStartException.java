package dev.udriver.runtime;

/**
 * A device failed to enter D0 because an interrupt's enable callback failed. The interrupts enabled
 * before it were disabled again in reverse order and the device's resources were released.
 */
public final class DeviceStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient Interrupt interrupt;

  public DeviceStartException(Interrupt interrupt, Throwable cause) {
    super(
        "device start failed: OnInterruptEnable of interrupt " + interrupt + " failed: " + cause,
        cause);
    this.interrupt = interrupt;
  }

  /** The interrupt whose enable callback failed. */
  public Interrupt interrupt() {
    return interrupt;
  }
}
