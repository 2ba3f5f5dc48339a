package dev.udriver.runtime.linux.internal;

/** A failed system call, with its {@code errno}. */
public final class NativeCallException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final String call;
  private final int errno;

  public NativeCallException(String call, int errno) {
    super(call + " failed: " + errnoName(errno) + " (errno " + errno + ")");
    this.call = call;
    this.errno = errno;
  }

  public String call() {
    return call;
  }

  public int errno() {
    return errno;
  }

  /** The symbolic name and meaning of the errno values these sources meet. */
  public static String errnoName(int errno) {
    return switch (errno) {
      case Libc.EPERM -> "EPERM, operation not permitted";
      case Libc.ENOENT -> "ENOENT, no such file or directory";
      case Libc.EINTR -> "EINTR, interrupted system call";
      case Libc.ENXIO -> "ENXIO, no such device or address";
      case Libc.EBADF -> "EBADF, bad file descriptor";
      case Libc.EAGAIN -> "EAGAIN, resource temporarily unavailable";
      case Libc.EACCES -> "EACCES, permission denied";
      case Libc.EBUSY -> "EBUSY, device or resource busy";
      case Libc.ENODEV -> "ENODEV, no such device";
      case Libc.EINVAL -> "EINVAL, invalid argument";
      case Libc.ENOTTY -> "ENOTTY, inappropriate ioctl for device";
      case Libc.ENOSYS -> "ENOSYS, function not implemented";
      default -> "errno " + errno;
    };
  }
}
