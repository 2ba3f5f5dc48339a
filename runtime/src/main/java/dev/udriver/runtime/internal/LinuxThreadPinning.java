package dev.udriver.runtime.internal;

import dev.udriver.runtime.linux.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * {@code sched_setaffinity(0, sizeof mask, &mask)} through the FFM API: pins the calling thread
 * (pid 0 is the calling thread for this system call). Probed once, at class initialization; the
 * cause of unavailability is kept (a non-Linux OS, a libc without the symbol, native access denied).
 * Kill switch: {@code -Dudriver.pinning=false}.
 *
 * <p>Also the thread's nice value: {@code setpriority(PRIO_PROCESS, tid, nice)} with the id {@code
 * gettid()} returned on that thread, which on Linux sets the nice value of that one thread (see
 * {@link Libc#setpriority}). Probed on its own, with its own kill switch: {@code
 * -Dudriver.nice=false} leaves every thread at the nice value it started with.
 *
 * <p>The JVM prints a one-time warning for the restricted {@code Linker} call unless started with
 * {@code --enable-native-access=ALL-UNNAMED} (or the module's name).
 */
final class LinuxThreadPinning implements ThreadPinning {

  private static final String NICE_UNAVAILABLE = probeNice();

  private static final MethodHandle SCHED_SETAFFINITY;
  private static final String UNAVAILABLE;
  private static final MemoryLayout ERRNO_LAYOUT;
  private static final VarHandle ERRNO;

  static {
    MethodHandle handle = null;
    String reason = null;
    MemoryLayout errnoLayout = null;
    VarHandle errno = null;
    try {
      if (!Boolean.parseBoolean(System.getProperty("udriver.pinning", "true"))) {
        reason = "disabled by -Dudriver.pinning=false";
      } else if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
        reason = "not Linux (" + System.getProperty("os.name") + ")";
      } else {
        Linker linker = Linker.nativeLinker();
        Linker.Option capture = Linker.Option.captureCallState("errno");
        errnoLayout = Linker.Option.captureStateLayout();
        errno =
            errnoLayout.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        MemorySegment symbol =
            linker.defaultLookup().find("sched_setaffinity").orElse(null);
        if (symbol == null) {
          reason = "libc has no sched_setaffinity";
        } else {
          handle =
              linker.downcallHandle(
                  symbol,
                  FunctionDescriptor.of(
                      ValueLayout.JAVA_INT,
                      ValueLayout.JAVA_INT,
                      ValueLayout.JAVA_LONG,
                      ValueLayout.ADDRESS),
                  capture);
        }
      }
    } catch (Throwable e) {
      handle = null;
      reason = "FFM downcall unavailable: " + e;
    }
    SCHED_SETAFFINITY = handle;
    UNAVAILABLE = reason;
    ERRNO_LAYOUT = errnoLayout;
    ERRNO = errno;
  }

  static boolean isAvailable() {
    return SCHED_SETAFFINITY != null;
  }

  static String unavailabilityReason() {
    return UNAVAILABLE;
  }

  /** Null when nice values can be set, else why not. */
  static String niceUnavailabilityReason() {
    return NICE_UNAVAILABLE;
  }

  private static String probeNice() {
    if (!Boolean.parseBoolean(System.getProperty("udriver.nice", "true"))) {
      return "disabled by -Dudriver.nice=false";
    }
    if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
      return "not Linux (" + System.getProperty("os.name") + ")";
    }
    try {
      Libc.getpriority(Libc.PRIO_PROCESS, Libc.gettid());
      return null;
    } catch (Throwable e) {
      Throwable cause = e;
      while (cause.getCause() != null) {
        cause = cause.getCause();
      }
      return "FFM downcall unavailable: " + cause;
    }
  }

  @Override
  public int currentThreadId() {
    return NICE_UNAVAILABLE == null ? Libc.gettid() : 0;
  }

  @Override
  public int currentNice() {
    return NICE_UNAVAILABLE == null ? Libc.getpriority(Libc.PRIO_PROCESS, 0) : 0;
  }

  @Override
  public String niceUnavailability() {
    return NICE_UNAVAILABLE;
  }

  @Override
  public String setNice(int threadId, int nice) {
    if (NICE_UNAVAILABLE != null) {
      return "nice value not set: " + NICE_UNAVAILABLE;
    }
    int errno = Libc.setpriority(Libc.PRIO_PROCESS, threadId, nice);
    return errno == 0 ? null : setNiceFailure(threadId, nice, errno);
  }

  /** Why {@code setpriority} failed, by its errno. */
  static String setNiceFailure(int threadId, int nice, int errno) {
    String meaning =
        switch (errno) {
          case Libc.EACCES ->
              "EACCES: lowering a nice value needs CAP_SYS_NICE or an RLIMIT_NICE that allows"
                  + " it (ulimit -e)";
          case Libc.EPERM -> "EPERM: the thread belongs to another user";
          case Libc.ESRCH -> "ESRCH: no such thread";
          case Libc.EINVAL -> "EINVAL: invalid argument";
          default -> "see setpriority(2)";
        };
    return "setpriority(PRIO_PROCESS, " + threadId + ", " + nice + ") failed: errno " + errno
        + " (" + meaning + ")";
  }

  @Override
  public String pinCurrentThread(long processorMask) {
    if (SCHED_SETAFFINITY == null) {
      return "thread not pinned: " + UNAVAILABLE;
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment mask = arena.allocate(ValueLayout.JAVA_LONG);
      mask.set(ValueLayout.JAVA_LONG, 0, processorMask);
      MemorySegment state = arena.allocate(ERRNO_LAYOUT);
      int result = (int) SCHED_SETAFFINITY.invokeExact(state, 0, 8L, mask);
      if (result != 0) {
        int errno = (int) ERRNO.get(state, 0L);
        return "sched_setaffinity(0x" + Long.toHexString(processorMask) + ") failed: errno "
            + errno + (errno == 22 ? " (EINVAL: no allowed processor in the mask)" : "");
      }
      return null;
    } catch (Throwable e) {
      return "sched_setaffinity failed: " + e;
    }
  }
}
