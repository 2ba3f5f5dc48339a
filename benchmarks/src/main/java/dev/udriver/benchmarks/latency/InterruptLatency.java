package dev.udriver.benchmarks.latency;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.linux.EventFdHardware;
import dev.udriver.runtime.linux.EventFdSource;
import dev.udriver.runtime.linux.LinuxInterrupts;
import dev.udriver.runtime.linux.internal.EpollEvent;
import dev.udriver.runtime.linux.internal.Libc;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;

/**
 * Interrupt latency: an eventfd written by one thread → the handler's first instruction on another,
 * p50/p99/p99.9, side by side in one run:
 *
 * <ol>
 *   <li><b>C epoll loop</b>: {@code src/main/c/eventfd_latency.c}, built with gcc here: a thread in
 *       {@code epoll_wait}, {@code read}, timestamp. The floor.
 *   <li><b>udriver</b>: an {@link EventFdHardware} device; the dispatcher waits in epoll and runs the
 *       ISR on its own thread (read, signal, interrupt lock, ISR).
 *   <li><b>listener on an executor</b>: what Java device libraries do (Pi4J, diozero): a platform
 *       thread blocked on the descriptor ({@code epoll_wait} + {@code read} through FFM) submits the
 *       listener to a single-thread executor.
 * </ol>
 *
 * Same protocol everywhere: sleep the gap, stamp t0 (CLOCK_MONOTONIC = System.nanoTime), write 1,
 * wait until the handler stamped t1. Each sample is a cold wake of a sleeping thread.
 *
 * <p>{@code java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * dev.udriver.benchmarks.latency.InterruptLatency [--samples N] [--gap-us N] [--rounds N]
 * [--c-source PATH]}
 */
public final class InterruptLatency {

  private static volatile long t0;
  private static volatile long done;
  private static long[] latencies;
  private static int index;
  private static int warmup;

  public static void main(String[] args) throws Exception {
    int samples = 50_000;
    long gapNanos = 20_000;
    int rounds = 2;
    Path cSource = Path.of("benchmarks/src/main/c/eventfd_latency.c");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--samples" -> samples = Integer.parseInt(args[++i]);
        case "--gap-us" -> gapNanos = Long.parseLong(args[++i]) * 1_000;
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--c-source" -> cSource = Path.of(args[++i]);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    LinuxInterrupts.ensureAvailability();
    warmup = samples / 10;
    Path binary = buildC(cSource);
    System.out.printf(
        Locale.ROOT, "%d samples per run (+%d warm-up), gap %d us, %d rounds, %s, %d CPUs%n",
        samples, warmup, gapNanos / 1000, rounds, Runtime.version(),
        Runtime.getRuntime().availableProcessors());
    System.out.printf(Locale.ROOT, "%-30s %9s %9s %9s %9s%n", "round / dispatch", "p50 us", "p99 us", "p99.9 us", "max us");
    for (int round = 1; round <= rounds; round++) {
      print(round, "C epoll loop (gcc -O2)", runC(binary, samples, gapNanos));
      print(round, "udriver ISR (epoll dispatcher)", runUdriver(samples, gapNanos));
      print(round, "listener on an executor", runExecutor(samples, gapNanos));
    }
  }

  private static void print(int round, String name, long[] p) {
    System.out.printf(
        Locale.ROOT, "%d %-28s %9.2f %9.2f %9.2f %9.2f%n", round, name, p[0] / 1e3, p[1] / 1e3,
        p[2] / 1e3, p[3] / 1e3);
  }

  private static Path buildC(Path source) throws IOException, InterruptedException {
    Path binary = Files.createTempFile("eventfd_latency", "");
    Process gcc =
        new ProcessBuilder("gcc", "-O2", "-pthread", "-o", binary.toString(), source.toString())
            .inheritIO()
            .start();
    if (gcc.waitFor() != 0) {
      throw new IllegalStateException("gcc failed on " + source);
    }
    binary.toFile().deleteOnExit();
    return binary;
  }

  private static long[] runC(Path binary, int samples, long gapNanos) throws Exception {
    Process process =
        new ProcessBuilder(binary.toString(), "" + samples, "" + gapNanos, "" + warmup).start();
    String line;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
      line = reader.readLine();
    }
    if (process.waitFor() != 0 || line == null) {
      throw new IllegalStateException("the C loop failed");
    }
    return Arrays.stream(line.trim().split(" ")).mapToLong(Long::parseLong).toArray();
  }

  /** Called at handler entry by every variant. */
  private static void stamp() {
    long t1 = System.nanoTime();
    int i = index++;
    if (i >= warmup) {
      latencies[i - warmup] = t1 - t0;
    }
    done = i + 1;
  }

  private static void signalAll(int samples, long gapNanos, EventFdSource source, Runnable write) {
    latencies = new long[samples];
    index = 0;
    done = 0;
    for (int i = 0; i < samples + warmup; i++) {
      LockSupport.parkNanos(gapNanos);
      t0 = System.nanoTime();
      write.run();
      while (done <= i) {
        Thread.onSpinWait();
      }
    }
  }

  private static long[] runUdriver(int samples, long gapNanos) {
    InterruptConfig config =
        InterruptConfig.builder(
                "msi",
                (interrupt, id) -> {
                  stamp();
                  return true;
                })
            .build();
    DriverWiring<Object> wiring =
        new DriverWiring<>() {
          @Override
          public Class<Object> driverType() {
            return Object.class;
          }

          @Override
          public List<InterruptConfig> interruptConfigs(Object driver) {
            return List.of(config);
          }
        };
    try (EventFdHardware hardware = EventFdHardware.builder().message("msi").build();
        DeviceNode device = DeviceNode.create("latency", hardware)) {
      device.addDriver(new Object(), wiring);
      device.start();
      EventFdSource source = hardware.source("msi", 0);
      signalAll(samples, gapNanos, source, source::signal);
      device.stop();
    }
    return percentiles();
  }

  private static long[] runExecutor(int samples, long gapNanos) throws Exception {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    Runnable listener = InterruptLatency::stamp;
    try (EventFdHardware hardware = EventFdHardware.builder().message("msi").build()) {
      EventFdSource source = hardware.source("msi", 0);
      int ep = Libc.epollCreate();
      Libc.epollCtl(ep, Libc.EPOLL_CTL_ADD, source.fd(), Libc.EPOLLIN, 1);
      Thread watcher =
          Thread.ofPlatform()
              .name("watcher")
              .start(
                  () -> {
                    try (Arena arena = Arena.ofConfined()) {
                      MemorySegment events = arena.allocate(EpollEvent.SIZE * 8, 8);
                      while (!Thread.currentThread().isInterrupted()) {
                        if (Libc.epollWait(ep, events, 8, 100) > 0 && source.readSignals() > 0) {
                          executor.execute(listener);
                        }
                      }
                    }
                  });
      signalAll(samples, gapNanos, source, source::signal);
      watcher.interrupt();
      watcher.join();
      Libc.close(ep);
    } finally {
      executor.shutdown();
    }
    return percentiles();
  }

  private static long[] percentiles() {
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return new long[] {sorted[n / 2], sorted[(int) (n * 0.99)], sorted[(int) (n * 0.999)], sorted[n - 1]};
  }
}
