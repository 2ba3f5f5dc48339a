package dev.udriver.runtime.linux;

import dev.udriver.runtime.linux.internal.Libc;
import dev.udriver.runtime.linux.internal.NativeCallException;

/**
 * A Linux interrupt source cannot be set up. {@link #missing()} says what is missing — the
 * platform, the kernel interface, the device node, the permission — and the message names it,
 * the path or call involved and what usually fixes it.
 */
public class LinuxInterfaceException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What is missing. */
  public enum Missing {
    /** Not Linux, an unsupported architecture, native access off, or the kill switch set. */
    PLATFORM,
    /** The kernel lacks the interface (no GPIO v2 uAPI, no VFIO, an ioctl it does not know). */
    KERNEL_INTERFACE,
    /** The device node does not exist. */
    DEVICE_NODE,
    /** The device node exists but this process may not open it or use it. */
    PERMISSION,
    /** Another user holds the device or line. */
    DEVICE_BUSY,
    /** The device exists but is bound to another kernel driver (or none) than the one needed. */
    DRIVER_BINDING
  }

  private final Missing missing;

  public LinuxInterfaceException(Missing missing, String message) {
    super(missing + ": " + message);
    this.missing = missing;
  }

  public Missing missing() {
    return missing;
  }

  /** Classifies a failed call on {@code what} (a device node or an interface) by its errno. */
  static LinuxInterfaceException of(NativeCallException failure, String what, String remedy) {
    Missing missing =
        switch (failure.errno()) {
          case Libc.ENOENT, Libc.ENODEV, Libc.ENXIO -> Missing.DEVICE_NODE;
          case Libc.EACCES, Libc.EPERM -> Missing.PERMISSION;
          case Libc.EBUSY -> Missing.DEVICE_BUSY;
          default -> Missing.KERNEL_INTERFACE;
        };
    String hint =
        switch (missing) {
          case DEVICE_NODE -> "no such device node";
          case PERMISSION -> "permission denied";
          case DEVICE_BUSY -> "in use by another process or driver";
          case DRIVER_BINDING -> "bound to another driver";
          default -> "the kernel interface refused the call";
        };
    LinuxInterfaceException exception =
        new LinuxInterfaceException(
            missing,
            what + ": " + hint + " (" + failure.getMessage() + ")"
                + (remedy == null || remedy.isEmpty() ? "" : "; " + remedy));
    exception.initCause(failure);
    return exception;
  }
}
