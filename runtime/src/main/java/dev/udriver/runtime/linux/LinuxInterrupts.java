package dev.udriver.runtime.linux;

import dev.udriver.runtime.linux.internal.EpollEvent;
import dev.udriver.runtime.linux.internal.Libc;
import java.util.Locale;

/**
 * Whether real Linux interrupt sources can be used in this JVM: probed once, at class
 * initialisation, by opening and closing an epoll set and an eventfd through the FFM API. The
 * cause of unavailability is kept and named by {@link #ensureAvailability()}.
 *
 * <p>Kill switch: {@code -Dudriver.linux.disabled=true} turns the Linux sources and the epoll
 * dispatcher off (dispatchers then park; simulated sources keep working).
 *
 * <pre>{@code
 * if (LinuxInterrupts.isAvailable()) { ... } else { log(LinuxInterrupts.unavailabilityCause()); }
 * }</pre>
 */
public final class LinuxInterrupts {

  /** The kill switch: {@code true} disables every Linux native path. */
  public static final String DISABLED_PROPERTY = "udriver.linux.disabled";

  private static final Throwable UNAVAILABILITY_CAUSE = probe();

  private LinuxInterrupts() {}

  /** Whether epoll, eventfd and the other Linux interfaces are reachable. */
  public static boolean isAvailable() {
    return UNAVAILABILITY_CAUSE == null;
  }

  /** Why they are not; null when they are. */
  public static Throwable unavailabilityCause() {
    return UNAVAILABILITY_CAUSE;
  }

  /**
   * Returns when the Linux interfaces are available.
   *
   * @throws LinuxInterfaceException naming what is missing (the platform, native access, the
   *     kernel interface), with the probe's failure as cause
   */
  public static void ensureAvailability() {
    if (UNAVAILABILITY_CAUSE != null) {
      throw (LinuxInterfaceException)
          new LinuxInterfaceException(
                  UNAVAILABILITY_CAUSE instanceof UnsupportedOperationException
                      ? LinuxInterfaceException.Missing.PLATFORM
                      : LinuxInterfaceException.Missing.KERNEL_INTERFACE,
                  "Linux interrupt sources are unavailable: " + UNAVAILABILITY_CAUSE.getMessage())
              .initCause(UNAVAILABILITY_CAUSE);
    }
  }

  private static Throwable probe() {
    if (Boolean.getBoolean(DISABLED_PROPERTY)) {
      return new UnsupportedOperationException(
          "disabled by -D" + DISABLED_PROPERTY + "=true");
    }
    String os = System.getProperty("os.name", "");
    if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return new UnsupportedOperationException(
          "not Linux (os.name=" + os + "); eventfd, timerfd, epoll, UIO, VFIO and GPIO"
              + " character devices are Linux interfaces");
    }
    String arch = System.getProperty("os.arch", "");
    if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
      return new UnsupportedOperationException(
          "unsupported architecture " + arch + " (struct layouts are known for x86-64 and arm64)");
    }
    try {
      long ignored = EpollEvent.SIZE;
      int ep = Libc.epollCreate();
      int efd = -1;
      try {
        efd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
      } finally {
        Libc.close(efd);
        Libc.close(ep);
      }
      return null;
    } catch (IllegalCallerException e) {
      return new IllegalStateException(
          "native access is not enabled for the udriver runtime; run the JVM with"
              + " --enable-native-access=ALL-UNNAMED (or the runtime's module name)",
          e);
    } catch (Throwable e) {
      return e;
    }
  }
}
