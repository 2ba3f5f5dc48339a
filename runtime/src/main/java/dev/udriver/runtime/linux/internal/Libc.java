package dev.udriver.runtime.linux.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The C library calls the Linux sources make, bound through the FFM API.
 *
 * <p>Two kinds of binding. <em>Checked</em> calls capture {@code errno} and throw {@link
 * NativeCallException} on failure; they allocate a small capture segment per call and are used only
 * on set-up and tear-down paths. <em>Hot</em> calls ({@link #readHot}, {@link #writeHot}, {@link
 * #epollWait}) return the raw result, allocate nothing and are used per interrupt and per wake:
 * the non-blocking reads and writes are {@link Linker.Option#critical critical} (short, never
 * blocking); {@code epoll_wait} blocks and is an ordinary downcall.
 *
 * <p>Class initialisation fails with an {@link UnsatisfiedLinkError} or {@link
 * IllegalCallerException} when the symbols or native access are missing; {@link
 * dev.udriver.runtime.linux.LinuxInterrupts} probes it once and keeps the cause.
 */
public final class Libc {

  // Linux constants, identical on x86-64 and arm64 (asm-generic).
  public static final int O_RDONLY = 0;
  public static final int O_RDWR = 2;
  public static final int O_NONBLOCK = 0x800;
  public static final int O_CLOEXEC = 0x80000;
  public static final int EFD_SEMAPHORE = 1;
  public static final int EFD_NONBLOCK = O_NONBLOCK;
  public static final int EFD_CLOEXEC = O_CLOEXEC;
  public static final int CLOCK_MONOTONIC = 1;
  public static final int TFD_NONBLOCK = O_NONBLOCK;
  public static final int TFD_CLOEXEC = O_CLOEXEC;
  public static final int EPOLL_CLOEXEC = O_CLOEXEC;
  public static final int EPOLL_CTL_ADD = 1;
  public static final int EPOLL_CTL_DEL = 2;
  public static final int EPOLL_CTL_MOD = 3;
  public static final int EPOLLIN = 0x1;
  public static final int EPOLLPRI = 0x2;
  public static final int EPOLLERR = 0x8;
  public static final int EPOLLHUP = 0x10;
  public static final int EPOLLET = 1 << 31;
  public static final int AF_UNIX = 1;
  public static final int SOCK_SEQPACKET = 5;
  public static final int SOCK_CLOEXEC = O_CLOEXEC;
  public static final int SOCK_NONBLOCK = O_NONBLOCK;
  public static final int PROT_READ = 1;
  public static final int PROT_WRITE = 2;
  public static final int MAP_SHARED = 1;
  public static final int PRIO_PROCESS = 0;

  // errno values.
  public static final int EPERM = 1;
  public static final int ENOENT = 2;
  public static final int ESRCH = 3;
  public static final int EINTR = 4;
  public static final int ENXIO = 6;
  public static final int EBADF = 9;
  public static final int EAGAIN = 11;
  public static final int EACCES = 13;
  public static final int EBUSY = 16;
  public static final int ENODEV = 19;
  public static final int EINVAL = 22;
  public static final int ENOTTY = 25;
  public static final int ENOSYS = 38;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO =
      CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
  private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

  private static final MethodHandle OPEN =
      checked("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  private static final MethodHandle CLOSE = checked("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle READ =
      checked("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle WRITE =
      checked("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle PREAD =
      checked("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
  private static final MethodHandle PWRITE =
      checked("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
  private static final MethodHandle EVENTFD =
      checked("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle TIMERFD_CREATE =
      checked("timerfd_create", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
  private static final MethodHandle TIMERFD_SETTIME =
      checked(
          "timerfd_settime", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
  private static final MethodHandle EPOLL_CREATE1 =
      checked("epoll_create1", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
  private static final MethodHandle EPOLL_CTL =
      checked("epoll_ctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
  private static final MethodHandle IOCTL =
      LINKER.downcallHandle(
          LIBC.findOrThrow("ioctl"),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
          ERRNO_OPTION,
          Linker.Option.firstVariadicArg(2));
  private static final MethodHandle MMAP =
      checked(
          "mmap",
          FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
  private static final MethodHandle MUNMAP =
      checked("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
  private static final MethodHandle SOCKETPAIR =
      checked("socketpair", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
  private static final MethodHandle FCNTL =
      LINKER.downcallHandle(
          LIBC.findOrThrow("fcntl"),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
          ERRNO_OPTION,
          Linker.Option.firstVariadicArg(2));
  private static final MethodHandle IOCTL_VALUE =
      LINKER.downcallHandle(
          LIBC.findOrThrow("ioctl"),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG),
          ERRNO_OPTION,
          Linker.Option.firstVariadicArg(2));
  private static final MethodHandle GETPAGESIZE =
      LINKER.downcallHandle(LIBC.findOrThrow("getpagesize"), FunctionDescriptor.of(JAVA_INT));
  private static final MethodHandle PIPE2 =
      checked("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));

  // Hot paths: no errno capture, no allocation.
  private static final MethodHandle READ_HOT =
      LINKER.downcallHandle(
          LIBC.findOrThrow("read"),
          FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
          Linker.Option.critical(false));
  private static final MethodHandle WRITE_HOT =
      LINKER.downcallHandle(
          LIBC.findOrThrow("write"),
          FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG),
          Linker.Option.critical(false));
  private static final MethodHandle PREAD_HOT =
      LINKER.downcallHandle(
          LIBC.findOrThrow("pread"),
          FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG),
          Linker.Option.critical(false));
  private static final MethodHandle PWRITE_HOT =
      LINKER.downcallHandle(
          LIBC.findOrThrow("pwrite"),
          FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG),
          Linker.Option.critical(false));
  private static final MethodHandle EPOLL_WAIT =
      LINKER.downcallHandle(
          LIBC.findOrThrow("epoll_wait"),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
  private static final MethodHandle EPOLL_CTL_HOT =
      LINKER.downcallHandle(
          LIBC.findOrThrow("epoll_ctl"),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS),
          Linker.Option.critical(false));
  private static final MethodHandle IOCTL_HOT =
      LINKER.downcallHandle(
          LIBC.findOrThrow("ioctl"),
          FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
          Linker.Option.firstVariadicArg(2));

  /**
   * Thread scheduling calls, bound on first use: a C library without {@code gettid} (glibc before
   * 2.30) then costs only these, not every call above.
   */
  private static final class Scheduling {
    static final MethodHandle GETTID =
        LINKER.downcallHandle(LIBC.findOrThrow("gettid"), FunctionDescriptor.of(JAVA_INT));
    static final MethodHandle GETPRIORITY =
        checked("getpriority", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    static final MethodHandle SETPRIORITY =
        checked("setpriority", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
  }

  private Libc() {}

  private static MethodHandle checked(String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(LIBC.findOrThrow(name), descriptor, ERRNO_OPTION);
  }

  // ------------------------------------------------------------------ hot

  /** {@code read(2)} without errno: the byte count, or -1. Never blocks on a non-blocking fd. */
  public static long readHot(int fd, MemorySegment buffer, long length) {
    try {
      return (long) READ_HOT.invokeExact(fd, buffer, length);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** {@code write(2)} without errno: the byte count, or -1. */
  public static long writeHot(int fd, MemorySegment buffer, long length) {
    try {
      return (long) WRITE_HOT.invokeExact(fd, buffer, length);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** {@code pread(2)} without errno: the byte count, or -1. */
  public static long preadHot(int fd, MemorySegment buffer, long length, long offset) {
    try {
      return (long) PREAD_HOT.invokeExact(fd, buffer, length, offset);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** {@code pwrite(2)} without errno: the byte count, or -1. */
  public static long pwriteHot(int fd, MemorySegment buffer, long length, long offset) {
    try {
      return (long) PWRITE_HOT.invokeExact(fd, buffer, length, offset);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** {@code epoll_wait(2)}: the number of ready events, or -1 (EINTR, or a bad epoll fd). */
  public static int epollWait(int epfd, MemorySegment events, int maxEvents, int timeoutMillis) {
    try {
      return (int) EPOLL_WAIT.invokeExact(epfd, events, maxEvents, timeoutMillis);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** {@code epoll_ctl(2)} with a prepared event, without errno: 0, or -1. */
  public static int epollCtlHot(int epfd, int op, int fd, MemorySegment event) {
    try {
      return (int) EPOLL_CTL_HOT.invokeExact(epfd, op, fd, event);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** {@code ioctl(2)} with a pointer argument, without errno: 0 or more, or -1. */
  public static int ioctlHot(int fd, long request, MemorySegment argument) {
    try {
      return (int) IOCTL_HOT.invokeExact(fd, request, argument);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  // ------------------------------------------------------------------ checked

  public static int open(String path, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      int fd = (int) OPEN.invokeExact(errno, arena.allocateFrom(path), flags, 0);
      return check(fd, errno, "open(" + path + ")");
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** Closes {@code fd}; failures are ignored (Linux releases the descriptor whatever close returns). */
  public static void close(int fd) {
    if (fd < 0) {
      return;
    }
    try (Arena arena = Arena.ofConfined()) {
      int ignored = (int) CLOSE.invokeExact(arena.allocate(CAPTURE), fd);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** A checked {@code read(2)}; -1 when the fd is non-blocking and has nothing (EAGAIN). */
  public static long read(int fd, MemorySegment buffer, long length, String what) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      long n = (long) READ.invokeExact(errno, fd, buffer, length);
      if (n < 0 && errno(errno) == EAGAIN) {
        return -1;
      }
      return check(n, errno, what);
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** A checked {@code write(2)}. */
  public static long write(int fd, MemorySegment buffer, long length, String what) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      long n = (long) WRITE.invokeExact(errno, fd, buffer, length);
      return check(n, errno, what);
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** A checked {@code pread(2)}. */
  public static long pread(int fd, MemorySegment buffer, long length, long offset, String what) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      long n = (long) PREAD.invokeExact(errno, fd, buffer, length, offset);
      return check(n, errno, what);
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** A checked {@code pwrite(2)}. */
  public static long pwrite(int fd, MemorySegment buffer, long length, long offset, String what) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      long n = (long) PWRITE.invokeExact(errno, fd, buffer, length, offset);
      return check(n, errno, what);
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  public static int eventfd(long initial, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      return check((int) EVENTFD.invokeExact(errno, (int) initial, flags), errno, "eventfd");
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  public static int timerfdCreate(int clock, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      return check((int) TIMERFD_CREATE.invokeExact(errno, clock, flags), errno, "timerfd_create");
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** Arms ({@code valueNanos > 0}) or disarms ({@code 0}) a timerfd, relative to now. */
  public static void timerfdSettime(int fd, long valueNanos, long intervalNanos) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      MemorySegment spec = arena.allocate(32, 8); // struct itimerspec {interval, value}
      spec.set(JAVA_LONG, 0, intervalNanos / 1_000_000_000L);
      spec.set(JAVA_LONG, 8, intervalNanos % 1_000_000_000L);
      spec.set(JAVA_LONG, 16, valueNanos / 1_000_000_000L);
      spec.set(JAVA_LONG, 24, valueNanos % 1_000_000_000L);
      int r = (int) TIMERFD_SETTIME.invokeExact(errno, fd, 0, spec, MemorySegment.NULL);
      check(r, errno, "timerfd_settime");
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  public static int epollCreate() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      return check((int) EPOLL_CREATE1.invokeExact(errno, EPOLL_CLOEXEC), errno, "epoll_create1");
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** {@code epoll_ctl(2)}; for DEL the event is ignored. Returns the errno, 0 on success. */
  public static int epollCtl(int epfd, int op, int fd, int events, long data) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      MemorySegment event = arena.allocate(EpollEvent.LAYOUT);
      EpollEvent.set(event, 0, events, data);
      int r = (int) EPOLL_CTL.invokeExact(errno, epfd, op, fd, event);
      return r < 0 ? errno(errno) : 0;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** {@code ioctl(2)} with a pointer argument; returns its non-negative result or throws. */
  public static int ioctl(int fd, long request, MemorySegment argument, String what) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      int r = (int) IOCTL.invokeExact(errno, fd, request, argument);
      return check(r, errno, what);
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** {@code ioctl(2)} with an integer argument (VFIO_SET_IOMMU, VFIO_CHECK_EXTENSION). */
  public static int ioctl(int fd, long request, long value, String what) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      int r = (int) IOCTL_VALUE.invokeExact(errno, fd, request, value);
      return check(r, errno, what);
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  public static int pageSize() {
    try {
      return (int) GETPAGESIZE.invokeExact();
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** Makes reads and writes on {@code fd} non-blocking ({@code fcntl(F_SETFL, O_NONBLOCK)}). */
  public static void setNonBlocking(int fd) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      int flags = check((int) FCNTL.invokeExact(errno, fd, 3 /* F_GETFL */, 0), errno, "fcntl");
      check((int) FCNTL.invokeExact(errno, fd, 4 /* F_SETFL */, flags | O_NONBLOCK), errno, "fcntl");
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** Maps {@code length} bytes of {@code fd} at {@code offset}, shared, read-write. */
  public static MemorySegment mmap(int fd, long length, long offset, String what) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      MemorySegment address =
          (MemorySegment)
              MMAP.invokeExact(
                  errno, MemorySegment.NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, offset);
      if (address.address() == -1L) {
        throw new NativeCallException(what, errno(errno));
      }
      return address.reinterpret(length);
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  public static void munmap(MemorySegment mapping) {
    try (Arena arena = Arena.ofConfined()) {
      int ignored = (int) MUNMAP.invokeExact(arena.allocate(CAPTURE), mapping, mapping.byteSize());
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** Two connected {@code AF_UNIX} descriptors of {@code type}. */
  public static int[] socketpair(int type) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      MemorySegment fds = arena.allocate(JAVA_INT, 2);
      check((int) SOCKETPAIR.invokeExact(errno, AF_UNIX, type, 0, fds), errno, "socketpair");
      return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** A pipe: {read end, write end}. */
  public static int[] pipe(int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      MemorySegment fds = arena.allocate(JAVA_INT, 2);
      check((int) PIPE2.invokeExact(errno, fds, flags), errno, "pipe2");
      return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
    } catch (NativeCallException e) {
      throw e;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /** {@code gettid(2)}: the calling thread's id, which names it to {@link #setpriority}. */
  public static int gettid() {
    try {
      return (int) Scheduling.GETTID.invokeExact();
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /**
   * {@code getpriority(which, who)}: the nice value, -20..19. The C call returns -1 both for nice
   * -1 and for a failure, which only a thread that no longer exists causes (ESRCH); ask for the
   * calling thread ({@code who} 0) or one that is known to run.
   */
  public static int getpriority(int which, int who) {
    try (Arena arena = Arena.ofConfined()) {
      return (int) Scheduling.GETPRIORITY.invokeExact(arena.allocate(CAPTURE), which, who);
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  /**
   * {@code setpriority(which, who, nice)}. On Linux the nice value belongs to a thread: with
   * {@link #PRIO_PROCESS} and a thread id from {@link #gettid} it sets that thread's only. Returns
   * the errno, 0 on success.
   */
  public static int setpriority(int which, int who, int nice) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = arena.allocate(CAPTURE);
      int r = (int) Scheduling.SETPRIORITY.invokeExact(errno, which, who, nice);
      return r < 0 ? errno(errno) : 0;
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  private static int errno(MemorySegment capture) {
    return (int) ERRNO.get(capture, 0L);
  }

  private static int check(int result, MemorySegment capture, String what) {
    if (result < 0) {
      throw new NativeCallException(what, errno(capture));
    }
    return result;
  }

  private static long check(long result, MemorySegment capture, String what) {
    if (result < 0) {
      throw new NativeCallException(what, errno(capture));
    }
    return result;
  }
}
