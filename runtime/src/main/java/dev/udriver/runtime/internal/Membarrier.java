package dev.udriver.runtime.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

/**
 * Linux {@code membarrier(2)}, private expedited: {@link #barrier()} makes every thread of this
 * process that runs at the time execute a full memory barrier before the call returns (threads not
 * running pass one in the context switch). It lets {@link InterruptLock}'s biased owner run without
 * a locked instruction: the rare thread that contends pays for the barrier on both sides. A
 * simulated interrupt source's raise counts itself in the same way, against the rare disconnect
 * ({@code dev.udriver.runtime.sim.SimulatedInterrupt}).
 *
 * <p>Called through libc's {@code syscall} (glibc has no {@code membarrier} wrapper). The process
 * registers once, at class initialization ({@code MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED}); when
 * that fails (not Linux, an unknown architecture, a kernel before 4.14 or one built without it,
 * native access denied, {@code -Dudriver.membarrier=false}) {@link #isAvailable()} is false and
 * {@link #unavailabilityReason()} says why; the lock then uses its compare-and-set path only.
 * Public for diagnostics (the benchmarks print which lock is in use); internal like its package.
 */
public final class Membarrier {

  /** {@code enum membarrier_cmd} in {@code include/uapi/linux/membarrier.h}. */
  static final int CMD_QUERY = 0;
  static final int CMD_PRIVATE_EXPEDITED = 1 << 3;
  static final int CMD_REGISTER_PRIVATE_EXPEDITED = 1 << 4;

  private static final MethodHandle SYSCALL;
  private static final long SYSCALL_NUMBER;
  private static final String UNAVAILABLE;

  static {
    MethodHandle handle = null;
    long number = -1;
    String reason = null;
    try {
      String arch = System.getProperty("os.arch", "");
      if (!Boolean.parseBoolean(System.getProperty("udriver.membarrier", "true"))) {
        reason = "disabled by -Dudriver.membarrier=false";
      } else if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
        reason = "not Linux (" + System.getProperty("os.name") + ")";
      } else if ((number = syscallNumber(arch)) < 0) {
        reason = "no membarrier system call number known for " + arch;
      } else {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find("syscall").orElse(null);
        if (symbol == null) {
          reason = "libc has no syscall";
        } else {
          // long syscall(long number, ...): the command, flags and cpu id are variadic.
          FunctionDescriptor descriptor =
              FunctionDescriptor.of(
                  ValueLayout.JAVA_LONG,
                  ValueLayout.JAVA_LONG,
                  ValueLayout.JAVA_LONG,
                  ValueLayout.JAVA_LONG,
                  ValueLayout.JAVA_LONG);
          reason = register(linker, symbol, descriptor, number);
          if (reason == null) {
            // Critical: no thread-state transition; the call is short (an IPI round, microseconds).
            handle =
                linker.downcallHandle(
                    symbol,
                    descriptor,
                    Linker.Option.firstVariadicArg(1),
                    Linker.Option.critical(false));
          }
        }
      }
    } catch (Throwable e) {
      handle = null;
      reason = "FFM downcall unavailable: " + e;
    }
    SYSCALL = handle;
    SYSCALL_NUMBER = number;
    UNAVAILABLE = reason;
  }

  private Membarrier() {}

  /** {@code __NR_membarrier}: x86-64 324, arm64 and riscv64 (the generic table) 283; -1 unknown. */
  static long syscallNumber(String arch) {
    return switch (arch) {
      case "amd64", "x86_64" -> 324;
      case "aarch64", "arm64", "riscv64" -> 283;
      default -> -1;
    };
  }

  /** Registers the process for private expedited barriers; null on success, else why not. */
  private static String register(
      Linker linker, MemorySegment symbol, FunctionDescriptor descriptor, long number)
      throws Throwable {
    StructLayout capture = Linker.Option.captureStateLayout();
    VarHandle errno = capture.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    MethodHandle checked =
        linker.downcallHandle(
            symbol,
            descriptor,
            Linker.Option.firstVariadicArg(1),
            Linker.Option.captureCallState("errno"));
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(capture);
      long supported = (long) checked.invokeExact(state, number, (long) CMD_QUERY, 0L, 0L);
      if (supported < 0) {
        return "membarrier(MEMBARRIER_CMD_QUERY) failed, errno " + (int) errno.get(state, 0L);
      }
      if ((supported & CMD_PRIVATE_EXPEDITED) == 0) {
        return "the kernel does not support MEMBARRIER_CMD_PRIVATE_EXPEDITED (supported: 0x"
            + Long.toHexString(supported) + ")";
      }
      long registered =
          (long) checked.invokeExact(state, number, (long) CMD_REGISTER_PRIVATE_EXPEDITED, 0L, 0L);
      if (registered != 0) {
        return "membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) failed, errno "
            + (int) errno.get(state, 0L);
      }
    }
    return null;
  }

  public static boolean isAvailable() {
    return SYSCALL != null;
  }

  /** Null when available, else why not. */
  public static String unavailabilityReason() {
    return UNAVAILABLE;
  }

  /**
   * A full memory barrier on every running thread of the process, ordered between this call's
   * entry and its return. Public for the simulated sources (another package).
   *
   * @throws IllegalStateException when not available, or when the kernel refuses (which a
   *     registered process never sees: there is no way to continue safely, the caller must know)
   */
  public static void barrier() {
    long result;
    try {
      result = (long) SYSCALL.invokeExact(SYSCALL_NUMBER, (long) CMD_PRIVATE_EXPEDITED, 0L, 0L);
    } catch (Throwable e) {
      throw new IllegalStateException("membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) failed", e);
    }
    if (result != 0) {
      throw new IllegalStateException(
          "membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) returned " + result);
    }
  }
}
