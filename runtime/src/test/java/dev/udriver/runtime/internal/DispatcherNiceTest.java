package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPriority;
import dev.udriver.runtime.DeviceListener;
import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DispatcherGroup;
import dev.udriver.runtime.ExtendedPolicy;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.linux.internal.Libc;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The nice value of a dispatcher thread follows the highest priority among the interrupts it
 * serves (LOW +5, NORMAL ±0, HIGH −5 from the nice value it started with), read back from the
 * kernel ({@code /proc/thread-self/stat}) by the ISR on that thread; falls back when the highest
 * interrupt leaves; and a nice value that cannot be set is reported while the dispatcher runs on.
 */
class DispatcherNiceTest {

  private static final AtomicInteger NAMES = new AtomicInteger();

  /** Field 19 of {@code /proc/thread-self/stat}: the calling thread's nice value, as the kernel has it. */
  static int niceOfCurrentThread() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      // The name (field 2) is in parentheses and may hold spaces: count from the last ')'.
      String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      return Integer.parseInt(afterName[19 - 3]);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assumeNiceValues() {
    assumeTrue(
        System.getProperty("os.name", "").toLowerCase().contains("linux"), "nice values: Linux only");
    assertEquals(
        null,
        LinuxThreadPinning.niceUnavailabilityReason(),
        "on Linux with native access, nice values must be available");
  }

  /** Whether a thread of this process may lower its nice value (CAP_SYS_NICE or RLIMIT_NICE). */
  private static boolean mayLowerNice() throws InterruptedException {
    boolean[] allowed = new boolean[1];
    Thread probe =
        Thread.ofPlatform()
            .start(
                () -> {
                  int nice = Libc.getpriority(Libc.PRIO_PROCESS, 0);
                  allowed[0] =
                      nice == -20
                          || Libc.setpriority(Libc.PRIO_PROCESS, Libc.gettid(), nice - 1) == 0;
                });
    probe.join();
    return allowed[0];
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.onSpinWait();
    }
  }

  private static DispatcherPool pool(String name, int dispatchers, ThreadPinning pinning,
      List<String> warnings) {
    return new DispatcherPool(
        new DispatcherPool.Settings(
            "udriver-isr-" + name, dispatchers, ParkWaitStrategy.FACTORY, pinning,
            NanoClock.SYSTEM, true, false, warnings::add));
  }

  /** Device warnings; dispatcher warnings go to the pool's reporter. */
  private static final List<String> DEVICE_WARNINGS = new CopyOnWriteArrayList<>();

  private static final Map<String, SimulatedHardware> HARDWARE = new ConcurrentHashMap<>();

  /** A device with one edge interrupt "irq" of {@code priority} whose ISR records its thread. */
  private static DeviceNode device(
      DispatcherGroup group, String name, InterruptPriority priority, Map<String, int[]> seen) {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("irq").build();
    HARDWARE.put(group.name() + "/" + name, hardware);
    DeviceNode device =
        group.device(name, hardware).listener(new DeviceListener() {
          @Override
          public void warning(String message) {
            DEVICE_WARNINGS.add(message);
          }
        }).build();
    device.addDriver(
        new Object(),
        HandWiring.of(
            InterruptConfig.builder(
                    "irq",
                    (interrupt, id) -> {
                      seen.put(
                          name,
                          new int[] {niceOfCurrentThread(), Thread.currentThread().getPriority()});
                      return true;
                    })
                .policy(ExtendedPolicy.of(AffinityPolicy.MACHINE_DEFAULT, priority))
                .build()));
    return device;
  }

  private static int[] fireAndRecord(
      DispatcherGroup group, String name, Map<String, int[]> seen) {
    seen.remove(name);
    HARDWARE.get(group.name() + "/" + name).interrupt("irq").fire();
    await(name + "'s ISR", () -> seen.containsKey(name));
    return seen.get(name);
  }

  @Test
  void eachInterruptPriorityGivesItsDispatcherItsNiceValue() throws Exception {
    assumeNiceValues();
    boolean mayLower = mayLowerNice();
    int start = niceOfCurrentThread(); // the dispatchers start from the thread that starts them
    String name = "nice" + NAMES.incrementAndGet();
    List<String> warnings = new CopyOnWriteArrayList<>();
    Map<String, int[]> seen = new ConcurrentHashMap<>();
    // Three unpinned dispatchers; devices attach round robin: device n → dispatcher n.
    try (DispatcherGroup group =
            DispatcherGroup.ofPool(name, pool(name, 3, ThreadPinning.platformDefault(), warnings));
        DeviceNode low = device(group, "low", InterruptPriority.LOW, seen);
        DeviceNode normal = device(group, "normal", InterruptPriority.NORMAL, seen);
        DeviceNode high = device(group, "high", InterruptPriority.HIGH, seen)) {
      low.start();
      normal.start();
      high.start();
      int[] atLow = fireAndRecord(group, "low", seen);
      int[] atNormal = fireAndRecord(group, "normal", seen);
      int[] atHigh = fireAndRecord(group, "high", seen);

      assertEquals(Math.min(19, start + 5), atLow[0], "LOW: nice +5");
      assertEquals(start, atNormal[0], "NORMAL: the nice value the thread started with");
      assertEquals(Thread.NORM_PRIORITY - 2, atLow[1]);
      assertEquals(Thread.NORM_PRIORITY, atNormal[1]);
      assertEquals(Thread.MAX_PRIORITY, atHigh[1]);
      List<String> lines = group.describe();
      assertTrue(lines.get(0).contains("priority LOW (Java 3, nice " + (start + 5) + ")"), lines.toString());
      assertTrue(lines.get(1).contains("priority NORMAL (Java 5, nice " + start + ")"), lines.toString());
      if (mayLower) {
        assertEquals(Math.max(-20, start - 5), atHigh[0], "HIGH: nice -5");
        assertEquals(List.of(), warnings);
        assertTrue(lines.get(2).contains("priority HIGH (Java 10, nice " + (start - 5) + ")"), lines.toString());
      } else {
        assertEquals(start, atHigh[0], "without CAP_SYS_NICE, HIGH keeps the nice value");
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("interrupt priority HIGH") && warnings.get(0).contains("EACCES"),
            warnings.toString());
      }
    }
  }

  @Test
  void theNiceValueRisesAgainWhenTheHighestPriorityInterruptLeaves() throws Exception {
    assumeNiceValues();
    assumeTrue(mayLowerNice(), "raising a dispatcher to HIGH needs CAP_SYS_NICE");
    int start = niceOfCurrentThread();
    String name = "nice" + NAMES.incrementAndGet();
    List<String> warnings = new CopyOnWriteArrayList<>();
    Map<String, int[]> seen = new ConcurrentHashMap<>();
    // One dispatcher serves both devices.
    try (DispatcherGroup group =
            DispatcherGroup.ofPool(name, pool(name, 1, ThreadPinning.platformDefault(), warnings));
        DeviceNode normal = device(group, "normal", InterruptPriority.NORMAL, seen)) {
      normal.start();
      assertEquals(start, fireAndRecord(group, "normal", seen)[0]);
      try (DeviceNode high = device(group, "high", InterruptPriority.HIGH, seen)) {
        high.start();
        assertEquals(start - 5, fireAndRecord(group, "normal", seen)[0], "HIGH joined: raised");
        assertEquals(Thread.MAX_PRIORITY, seen.get("normal")[1]);
        high.stop();
        assertEquals(start - 5, fireAndRecord(group, "normal", seen)[0],
            "a stopped device may start again: its interrupt still counts");
      }
      int[] after = fireAndRecord(group, "normal", seen);
      assertEquals(start, after[0], "HIGH device closed: back to NORMAL's nice value");
      assertEquals(Thread.NORM_PRIORITY, after[1]);
      assertTrue(group.describe().get(0).contains("priority NORMAL (Java 5, nice " + start + ")"),
          group.describe().toString());
      assertEquals(List.of(), warnings);
    }
  }

  @Test
  void aNiceValueThatCannotBeSetIsReportedAndTheDispatcherRunsOn() {
    // A seam that refuses to lower a nice value, as the kernel does without CAP_SYS_NICE.
    ThreadPinning refusing =
        new ThreadPinning() {
          @Override
          public String pinCurrentThread(long processorMask) {
            return null;
          }

          @Override
          public int currentThreadId() {
            return 4242;
          }

          @Override
          public int currentNice() {
            return 0;
          }

          @Override
          public String niceUnavailability() {
            return null;
          }

          @Override
          public String setNice(int threadId, int nice) {
            return nice < 0 ? LinuxThreadPinning.setNiceFailure(threadId, nice, Libc.EACCES) : null;
          }
        };
    String name = "nice" + NAMES.incrementAndGet();
    List<String> warnings = new CopyOnWriteArrayList<>();
    Map<String, int[]> seen = new ConcurrentHashMap<>();
    try (DispatcherGroup group = DispatcherGroup.ofPool(name, pool(name, 1, refusing, warnings));
        DeviceNode high = device(group, "high", InterruptPriority.HIGH, seen)) {
      high.start();
      await("the failure report", () -> !warnings.isEmpty());
      fireAndRecord(group, "high", seen); // the dispatcher serves on
      assertEquals(Thread.MAX_PRIORITY, seen.get("high")[1], "the Java priority is set regardless");
      assertEquals(1, warnings.size(), warnings.toString());
      String warning = warnings.get(0);
      assertTrue(warning.startsWith("dispatcher udriver-isr-" + name + " (interrupt priority HIGH, nice -5): "), warning);
      assertTrue(warning.contains("setpriority(PRIO_PROCESS, 4242, -5) failed: errno 13 (EACCES"), warning);
      String line = group.describe().get(0);
      assertTrue(line.contains("priority HIGH (Java 10, nice 0, not -5: setpriority("), line);
    }
  }

  @Test
  void setpriorityFailuresNameTheirErrno() {
    String denied = LinuxThreadPinning.setNiceFailure(77, -5, Libc.EACCES);
    assertEquals(
        "setpriority(PRIO_PROCESS, 77, -5) failed: errno 13 (EACCES: lowering a nice value needs"
            + " CAP_SYS_NICE or an RLIMIT_NICE that allows it (ulimit -e))",
        denied);
    assertTrue(LinuxThreadPinning.setNiceFailure(77, 5, Libc.EPERM).contains("errno 1 (EPERM"));
    assertTrue(LinuxThreadPinning.setNiceFailure(77, 5, 99).contains("errno 99 (see setpriority(2))"));
  }

  @Test
  void aRealSetpriorityFailureCarriesItsErrno() {
    assumeNiceValues();
    // No thread has the largest id (pid_max is at most 2^22): the kernel answers ESRCH.
    String failure = ThreadPinning.platformDefault().setNice(Integer.MAX_VALUE, 0);
    assertEquals(
        "setpriority(PRIO_PROCESS, 2147483647, 0) failed: errno 3 (ESRCH: no such thread)", failure);
  }

  /**
   * Drops {@code CAP_SYS_NICE} from the calling thread's effective capabilities (capabilities
   * belong to a thread on Linux, and threads it starts inherit them). False when that failed.
   */
  private static boolean dropCapSysNice() throws Throwable {
    Linker linker = Linker.nativeLinker();
    FunctionDescriptor call = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS);
    MethodHandle capget = linker.downcallHandle(linker.defaultLookup().findOrThrow("capget"), call);
    MethodHandle capset = linker.downcallHandle(linker.defaultLookup().findOrThrow("capset"), call);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment header = arena.allocate(8, 4); // {u32 version, int pid}
      header.set(ValueLayout.JAVA_INT, 0, 0x20080522); // _LINUX_CAPABILITY_VERSION_3
      header.set(ValueLayout.JAVA_INT, 4, 0); // the calling thread
      MemorySegment data = arena.allocate(24, 4); // 2 × {u32 effective, permitted, inheritable}
      if ((int) capget.invokeExact(header, data) != 0) {
        return false;
      }
      int capSysNice = 23;
      data.set(ValueLayout.JAVA_INT, 0, data.get(ValueLayout.JAVA_INT, 0) & ~(1 << capSysNice));
      return (int) capset.invokeExact(header, data) == 0;
    }
  }

  @Test
  void withoutCapSysNiceHighIsRefusedWithEaccesReportedAndServedAtTheStartingNice()
      throws Exception {
    assumeNiceValues();
    String name = "nice" + NAMES.incrementAndGet();
    List<String> warnings = new CopyOnWriteArrayList<>();
    Map<String, int[]> seen = new ConcurrentHashMap<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    AtomicReference<String> skipped = new AtomicReference<>();
    int[] start = new int[1];
    // A thread of its own, which ends with the capability it dropped; the dispatcher it starts
    // inherits the loss.
    Thread unprivileged =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    if (!dropCapSysNice()) {
                      skipped.set("capset failed");
                      return;
                    }
                    start[0] = niceOfCurrentThread();
                    if (start[0] == -20 || Libc.setpriority(Libc.PRIO_PROCESS, Libc.gettid(), start[0] - 1) == 0) {
                      skipped.set("RLIMIT_NICE lets this thread lower its nice value");
                      return;
                    }
                    try (DispatcherGroup group =
                            DispatcherGroup.ofPool(
                                name, pool(name, 1, ThreadPinning.platformDefault(), warnings));
                        DeviceNode high = device(group, "high", InterruptPriority.HIGH, seen)) {
                      high.start();
                      int[] atHigh = fireAndRecord(group, "high", seen);
                      assertEquals(start[0], atHigh[0], "refused: the starting nice value");
                      assertEquals(Thread.MAX_PRIORITY, atHigh[1]);
                      assertTrue(group.describe().get(0).contains("nice " + start[0] + ", not " + (start[0] - 5) + ": "),
                          group.describe().toString());
                    }
                  } catch (Throwable e) {
                    failed.set(e);
                  }
                });
    unprivileged.join();
    if (failed.get() != null) {
      throw new AssertionError(failed.get());
    }
    assumeTrue(skipped.get() == null, skipped.get());
    assertEquals(1, warnings.size(), warnings.toString());
    String warning = warnings.get(0);
    assertTrue(
        warning.startsWith("dispatcher udriver-isr-" + name + " (interrupt priority HIGH, nice " + (start[0] - 5) + "): setpriority(PRIO_PROCESS, ")
            && warning.endsWith(", " + (start[0] - 5) + ") failed: errno 13 (EACCES: lowering a nice value needs"
                + " CAP_SYS_NICE or an RLIMIT_NICE that allows it (ulimit -e))"),
        warning);
  }
}
