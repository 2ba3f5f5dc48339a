package dev.udriver.benchmarks.latency;

import dev.udriver.annotation.InterruptPriority;
import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.ExtendedPolicy;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.internal.ThreadPinning;
import dev.udriver.runtime.linux.EventFdHardware;
import dev.udriver.runtime.linux.EventFdSource;
import dev.udriver.runtime.linux.LinuxInterrupts;
import dev.udriver.runtime.linux.internal.EpollEvent;
import dev.udriver.runtime.linux.internal.Libc;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Interrupt latency: an eventfd written by one thread → the handler's first instruction on another,
 * p50/p99/p99.9, for three dispatch paths measured side by side:
 *
 * <ol>
 *   <li><b>C epoll loop</b>: {@code src/main/c/eventfd_latency.c}, built with gcc here and run as a
 *       separate process driven over a pipe: a thread in {@code epoll_wait}, {@code read},
 *       timestamp. The floor.
 *   <li><b>udriver</b>: an {@link EventFdHardware} device; the dispatcher waits in epoll and runs the
 *       ISR on its own thread (read, signal, interrupt lock, ISR).
 *   <li><b>listener on an executor</b>: what Java device libraries do (Pi4J, diozero): a platform
 *       thread blocked on the descriptor ({@code epoll_wait} + {@code read} through FFM) submits the
 *       listener to a single-thread executor.
 * </ol>
 *
 * <h2>Method</h2>
 *
 * The paths take turns in blocks ({@code --block} samples plus one lead-in sample, dropped because
 * the first wake after a switch is colder), the order rotating from block to block, so that machine
 * noise (other processes, the host) falls on all of them alike. Every path has a signalling thread
 * of its own (the C loop's main thread, one thread per Java path), which wakes its handler and
 * nothing else, and every one signals the same way: it yields until the gap has passed, stamps t0
 * (CLOCK_MONOTONIC, which is {@code System.nanoTime}), writes 1, then yields until the handler has
 * stamped t1. It never parks (its own wake-up is never in a sample) and never spins without
 * yielding (a handler woken on its processor runs at once, not when a spin gives up). Each sample
 * is a cold wake of a handler thread asleep in the kernel. Before measuring, {@code --warmup}
 * samples of every path are taken and dropped, so C2 has compiled the Java paths.
 *
 * <p>Per round the table gives p50/p99/p99.9/max per path and the ratios udriver / C and executor /
 * udriver with 95% intervals from a paired block bootstrap (block indices resampled, the same draw
 * for every path); a last table pools all rounds.
 *
 * <p>{@code java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar
 * dev.udriver.benchmarks.latency.InterruptLatency [--samples N] [--rounds N] [--block N]
 * [--warmup N] [--gap-us N] [--bootstrap N] [--pin CPU | --colocate CPU] [--dump DIR]
 * [--c-source PATH]
 * [--order rotate|shuffle] [--c-in-jvm true] [--native-signaller true]}
 *
 * <ul>
 *   <li>{@code --order rotate|shuffle}: the order of the paths in each round of blocks, rotated
 *       from round to round (the default) or a fresh random permutation every round.
 *   <li>{@code --native-signaller true}: the udriver and executor paths are signalled by the C
 *       loop's own signaller (the same source, on a native thread of this JVM) instead of a Java
 *       thread; their handlers answer it through its shared state. A control for the signaller.
 *   <li>{@code --c-in-jvm true}: a fourth path, the same C loop built as a shared library and run on
 *       native threads inside this JVM, driven over pipes as the separate process is: a control
 *       that tells what the process it runs in does to a path apart from its dispatch.
 *   <li>{@code --colocate CPU}: as {@code --pin}, but the signallers run on {@code CPU} too, so
 *       every sample is a wake on the signaller's processor.
 *   <li>{@code --pin CPU}: the handler threads of every path (the udriver dispatcher through its
 *       interrupt policy; the executor's watcher and listener thread; the C receiver) run on {@code
 *       CPU}, the signallers on the other processors ({@code sched_setaffinity}).
 *   <li>{@code --dump DIR}: the measured samples as {@code DIR/latency-round-N.csv}, one line per
 *       sample: {@code block,sample,c_ns,udriver_ns,executor_ns} and, per path, 1 where the
 *       handler ran on the signaller's processor (lead-ins not included).
 * </ul>
 */
public final class InterruptLatency {

  private static final String[] LABELS = {
    "C epoll loop (gcc -O2)", "udriver ISR (epoll dispatcher)", "listener on an executor",
    "C epoll loop in this JVM"
  };
  /** Read before the signaller is pinned, which would narrow it. */
  private static final int PROCESSORS = Runtime.getRuntime().availableProcessors();

  private static final int C = 0;
  private static final int UDRIVER = 1;
  private static final int EXECUTOR = 2;
  private static final int C_IN_JVM = 3;

  // The sample in flight: written by the signaller (t0) and by the handler of the active path.
  private static volatile long t0;
  private static long latency; // published by the volatile store of handled
  private static int handlerCpu; // likewise; taken after t1, so not in the figure
  private static volatile long handled;

  /** Called at handler entry by every Java path; the C receiver does the same. */
  private static void stamp() {
    long t1 = System.nanoTime();
    latency = t1 - t0;
    handlerCpu = currentCpu();
    handled = handled + 1; // one handler at a time: the paths take turns
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    pinTogether = options.together;
    LinuxInterrupts.ensureAvailability();
    Path binary = buildC(options.cSource);
    System.out.printf(
        Locale.ROOT,
        "%d samples per path and round in blocks of %d (+1 lead-in), %d warm-up, gap %d us,"
            + " %d rounds, %s, %d CPUs, %s, load average %s%n",
        options.samples, options.block, options.warmup, options.gapNanos / 1000, options.rounds,
        Runtime.version(), PROCESSORS,
        options.pinCpu < 0
            ? "unpinned"
            : (pinTogether ? "handlers and signallers" : "handlers") + " pinned to CPU "
                + options.pinCpu,
        loadAverage());
    Path library =
        options.cInJvm || options.nativeSignaller
            ? buildC(options.cSource, "-shared", "-fPIC", "-DEVENTFD_LATENCY_LIBRARY")
            : null;
    Path signallerLibrary = options.nativeSignaller ? library : null;
    try (CLoop cLoop = new CLoop(binary, options.pinCpu);
        UdriverPath udriver = new UdriverPath(options.pinCpu, signallerLibrary);
        ExecutorPath executor = new ExecutorPath(options.pinCpu, signallerLibrary);
        CLoop cInJvm = options.cInJvm ? CLoop.inThisProcess(library, options.pinCpu) : null) {
      LatencyPath[] paths =
          cInJvm == null
              ? new LatencyPath[] {cLoop, udriver, executor}
              : new LatencyPath[] {cLoop, udriver, executor, cInJvm};
      interleave(paths, options, options.warmup, null);
      List<Samples> rounds = new ArrayList<>();
      for (int round = 1; round <= options.rounds; round++) {
        Samples samples = new Samples(paths.length, options.samples, options.block);
        interleave(paths, options, options.samples, samples);
        rounds.add(samples);
        if (options.dump != null) {
          dump(options.dump.resolve("latency-round-" + round + ".csv"), samples, options.block);
        }
        report("round " + round, samples, options);
      }
      if (rounds.size() > 1) {
        report("all rounds", Samples.pool(rounds), options);
      }
      System.out.println("load average at the end: " + loadAverage());
    }
  }

  /**
   * Per path, block by block: the latencies (ns) and whether the handler ran on the processor the
   * signaller wrote from. A wake on the same processor and one across processors cost different
   * amounts on a VM and the scheduler does not choose alike for every process; the report gives
   * the share and the p50 of each kind, so a difference in placement is not read as one in
   * dispatch.
   */
  private record Samples(long[][] latency, boolean[][] sameCpu) {
    Samples(int paths, int samples, int block) {
      this(
          new long[paths][(samples + block - 1) / block * block],
          new boolean[paths][(samples + block - 1) / block * block]);
    }

    int length() {
      return latency[0].length;
    }

    /** The latencies of {@code path} whose handler ran on the signaller's processor, or did not. */
    long[] split(int path, boolean onSameCpu) {
      return IntStream.range(0, length())
          .filter(i -> sameCpu[path][i] == onSameCpu)
          .mapToLong(i -> latency[path][i])
          .toArray();
    }

    static Samples pool(List<Samples> rounds) {
      int length = 0;
      for (Samples round : rounds) {
        length += round.length();
      }
      int paths = rounds.get(0).latency.length;
      Samples pooled = new Samples(new long[paths][length], new boolean[paths][length]);
      int at = 0;
      for (Samples round : rounds) {
        for (int path = 0; path < paths; path++) {
          System.arraycopy(round.latency[path], 0, pooled.latency[path], at, round.length());
          System.arraycopy(round.sameCpu[path], 0, pooled.sameCpu[path], at, round.length());
        }
        at += round.length();
      }
      return pooled;
    }
  }

  /**
   * Takes {@code samples} samples of every path, rounded up to whole blocks, in turns; stores them
   * in {@code out} unless null (warm-up).
   */
  private static void interleave(LatencyPath[] paths, Options options, int samples, Samples out)
      throws IOException {
    int blocks = (samples + options.block - 1) / options.block;
    long[] latency = new long[options.block + 1];
    boolean[] sameCpu = new boolean[options.block + 1];
    int[] order = new int[paths.length];
    for (int b = 0; b < blocks; b++) {
      nextOrder(order, b, options);
      for (int path : order) {
        paths[path].sample(latency, sameCpu, options.gapNanos);
        if (out != null) { // the lead-in, sample 0, is dropped
          System.arraycopy(latency, 1, out.latency[path], b * options.block, options.block);
          System.arraycopy(sameCpu, 1, out.sameCpu[path], b * options.block, options.block);
        }
      }
    }
  }

  /**
   * The order of the paths in block round {@code b}. Rotated, each path mostly follows the same one;
   * shuffled (a fresh random permutation every round), every path follows every other equally often.
   * The scheduler places a woken thread by what ran where just before, so the predecessor matters.
   */
  private static void nextOrder(int[] order, int b, Options options) {
    for (int turn = 0; turn < order.length; turn++) {
      order[turn] = (b + turn) % order.length;
    }
    if (options.shuffle != null) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = options.shuffle.nextInt(i + 1);
        int swap = order[i];
        order[i] = order[j];
        order[j] = swap;
      }
    }
  }

  private static void report(String title, Samples samples, Options options) {
    BlockBootstrap bootstrap = new BlockBootstrap(samples.latency(), options.block);
    System.out.printf(
        Locale.ROOT, "%n%s: %d blocks of %d%n%-32s %9s %9s %9s %9s %9s %9s %9s%n", title,
        samples.length() / options.block, options.block, "dispatch", "p50 us", "p99 us",
        "p99.9 us", "max us", "same CPU", "p50 same", "p50 acr.");
    for (int path = 0; path < samples.latency().length; path++) {
      long[] p = bootstrap.percentiles(path);
      long[] same = samples.split(path, true);
      long[] across = samples.split(path, false);
      System.out.printf(
          Locale.ROOT, "%-32s %9.2f %9.2f %9.2f %9.2f %8.1f%% %9s %9s%n", LABELS[path],
          p[0] / 1e3, p[1] / 1e3, p[2] / 1e3, p[3] / 1e3, 100.0 * same.length / samples.length(),
          median(same), median(across));
    }
    printRatio("udriver / C", bootstrap, UDRIVER, C, options);
    printRatio("executor / udriver", bootstrap, EXECUTOR, UDRIVER, options);
    if (samples.latency().length > C_IN_JVM) {
      printRatio("udriver / C in JVM", bootstrap, UDRIVER, C_IN_JVM, options);
      printRatio("C in JVM / C", bootstrap, C_IN_JVM, C, options);
    }
  }

  /** The p50 in microseconds, or "-" for no samples. */
  private static String median(long[] latencies) {
    if (latencies.length == 0) {
      return "-";
    }
    long[] sorted = latencies.clone();
    Arrays.sort(sorted);
    return String.format(Locale.ROOT, "%.2f", sorted[sorted.length / 2] / 1e3);
  }

  private static void printRatio(
      String name, BlockBootstrap bootstrap, int numerator, int denominator, Options options) {
    long[] top = bootstrap.percentiles(numerator);
    long[] bottom = bootstrap.percentiles(denominator);
    double[][] interval =
        bootstrap.ratioInterval(numerator, denominator, options.resamples, 0x5eedL);
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-20s", name));
    String[] quantiles = {"p50", "p99", "p99.9"};
    for (int q = 0; q < quantiles.length; q++) {
      line.append(
          String.format(
              Locale.ROOT, "  %s %.2fx [%.2f, %.2f]", quantiles[q],
              (double) top[q] / Math.max(1, bottom[q]), interval[q][0], interval[q][1]));
    }
    System.out.println(line);
  }

  private static void dump(Path file, Samples samples, int block) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    long[][] latency = samples.latency();
    boolean[][] same = samples.sameCpu();
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
      out.println("block,sample,c_ns,udriver_ns,executor_ns,c_same_cpu,udriver_same_cpu,"
          + "executor_same_cpu");
      for (int i = 0; i < samples.length(); i++) {
        out.printf(
            Locale.ROOT, "%d,%d,%d,%d,%d,%d,%d,%d%n", i / block, i % block, latency[C][i],
            latency[UDRIVER][i], latency[EXECUTOR][i], same[C][i] ? 1 : 0,
            same[UDRIVER][i] ? 1 : 0, same[EXECUTOR][i] ? 1 : 0);
      }
    }
    System.out.println("samples written to " + file);
  }

  private static Path buildC(Path source, String... flags)
      throws IOException, InterruptedException {
    Path binary = Files.createTempFile("eventfd_latency", flags.length > 0 ? ".so" : "");
    List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-pthread"));
    command.addAll(List.of(flags));
    command.addAll(List.of("-o", binary.toString(), source.toString()));
    Process gcc = new ProcessBuilder(command).inheritIO().start();
    if (gcc.waitFor() != 0) {
      throw new IllegalStateException("gcc failed on " + source);
    }
    binary.toFile().deleteOnExit();
    return binary;
  }

  // ---------------------------------------------------------------- the paths

  /**
   * One dispatch path: takes {@code latency.length} samples, one after another, and says for each
   * whether the handler ran on the signaller's processor.
   */
  private interface LatencyPath extends AutoCloseable {
    void sample(long[] latency, boolean[] sameCpu, long gapNanos) throws IOException;
  }

  /** What drives a path's signaller: a block in, its samples out. */
  private interface Driver extends AutoCloseable {
    void sample(long[] out, boolean[] sameCpu, long gapNanos) throws IOException;
  }

  /**
   * A Java path's signaller: the Java {@link Signaller}, or with {@code library} the C loop's own
   * signaller on a native thread of this JVM, answered by the path's handler through {@code stamp}.
   */
  private static Driver signaller(
      String path, EventFdSource source, int pinCpu, Path library, NativeStamp stamp)
      throws Exception {
    if (library == null) {
      return new Signaller(path, source, pinCpu);
    }
    MethodHandle start =
        Linker.nativeLinker()
            .downcallHandle(
                SymbolLookup.libraryLookup(library, Arena.global())
                    .findOrThrow("eventfd_latency_signaller_start"),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    MemorySegment fds = Arena.global().allocate(ValueLayout.JAVA_INT, 2);
    MemorySegment loop;
    try {
      loop = (MemorySegment) start.invokeExact(source.fd(), pinCpu, pinTogether ? 1 : 0, fds);
    } catch (Throwable t) {
      throw new IllegalStateException("cannot start the native signaller of " + path, t);
    }
    if (loop.equals(MemorySegment.NULL)) {
      throw new IllegalStateException("the native signaller of " + path + " did not start");
    }
    stamp.loop = loop.reinterpret(NativeStamp.SIZE);
    return CLoop.overPipes(fds);
  }

  /**
   * A Java handler's stamp for a native signaller: the same as {@link #stamp()}, into the C loop's
   * {@code struct loop} (t0 at 8, handled at 16, latency at 24, receiver_cpu at 32).
   */
  private static final class NativeStamp implements Runnable {
    static final long SIZE = 40;
    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    volatile MemorySegment loop;

    @Override
    public void run() {
      long t1 = System.nanoTime();
      MemorySegment l = loop;
      l.set(ValueLayout.JAVA_LONG, 24, t1 - (long) LONG.getVolatile(l, 8L));
      l.set(ValueLayout.JAVA_INT, 32, currentCpu());
      LONG.setRelease(l, 16L, (long) LONG.get(l, 16L) + 1);
    }
  }

  /**
   * A Java path's own signalling thread, as the C loop has its own: every path's handler is woken
   * by one thread that wakes nothing else (the scheduler places a woken thread by who wakes whom).
   * The main thread hands it a block and waits for it (not in any sample).
   */
  private static final class Signaller implements Driver {
    private final ExecutorService thread;
    private final EventFdSource source;

    Signaller(String path, EventFdSource source, int pinCpu) throws Exception {
      this.source = source;
      thread =
          Executors.newSingleThreadExecutor(
              r -> Thread.ofPlatform().name("latency-signaller-" + path).unstarted(r));
      if (pinCpu >= 0) {
        thread.submit(() -> pin("signaller of " + path, signallerMask(pinCpu))).get();
      }
    }

    public void sample(long[] out, boolean[] sameCpu, long gapNanos) {
      try {
        thread.submit(() -> signalAndWait(source, out, sameCpu, gapNanos)).get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the signaller ran a block", e);
      } catch (ExecutionException e) {
        throw new IllegalStateException("the signaller failed", e.getCause());
      }
    }

    @Override
    public void close() throws InterruptedException {
      thread.shutdown();
      thread.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** The Java side of the protocol, the same as the C loop's main thread. */
  private static void signalAndWait(
      EventFdSource source, long[] out, boolean[] sameCpu, long gapNanos) {
    for (int i = 0; i < out.length; i++) {
      long deadline = System.nanoTime() + gapNanos;
      while (System.nanoTime() < deadline) {
        Thread.yield();
      }
      long expected = handled + 1;
      int signallerCpu = currentCpu();
      t0 = System.nanoTime();
      source.signal();
      while (handled < expected) {
        Thread.yield();
      }
      out[i] = latency;
      sameCpu[i] = handlerCpu == signallerCpu;
    }
  }

  /** The gcc-built loop as a separate process: a block on command, its samples back. */
  private static final class CLoop implements LatencyPath, Driver {
    private final Process process;
    private final OutputStream commands;
    private final InputStream results;
    private final ByteBuffer command = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
    private byte[] answer = new byte[0];
    private ByteBuffer answerView = ByteBuffer.wrap(answer);

    CLoop(Path binary, int pinCpu) throws IOException {
      List<String> command = new ArrayList<>(List.of(binary.toString()));
      if (pinCpu >= 0) {
        command.add(Integer.toString(pinCpu));
        if (pinTogether) {
          command.add("together");
        }
      }
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      commands = process.getOutputStream();
      results = process.getInputStream();
    }

    private CLoop(OutputStream commands, InputStream results) {
      this.process = null;
      this.commands = commands;
      this.results = results;
    }

    /**
     * The same C loop (the same source, built as a shared library) inside this JVM: its signaller
     * and receiver are native threads of this process, driven over pipes as the separate process
     * is. A control: it tells what the process does to placement apart from the dispatch path.
     */
    static CLoop inThisProcess(Path library, int pinCpu) {
      MethodHandle start =
          Linker.nativeLinker()
              .downcallHandle(
                  SymbolLookup.libraryLookup(library, Arena.global())
                      .findOrThrow("eventfd_latency_start"),
                  FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                      ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
      try (Arena arena = Arena.ofConfined()) {
        MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
        if ((int) start.invokeExact(pinCpu, pinTogether ? 1 : 0, fds) != 0) {
          throw new IllegalStateException("the C loop in this JVM did not start");
        }
        return overPipes(fds);
      } catch (Throwable t) {
        throw new IllegalStateException("cannot start the C loop in this JVM", t);
      }
    }

    /** Drives a loop of this process through its pipes (fds: command write end, sample read end). */
    static CLoop overPipes(MemorySegment fds) throws IOException {
      // The pipe ends as streams: /proc/self/fd opens the same pipes.
      int commands = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
      int samples = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
      CLoop loop =
          new CLoop(
              new java.io.BufferedOutputStream(
                  Files.newOutputStream(Path.of("/proc/self/fd/" + commands))),
              new java.io.BufferedInputStream(
                  Files.newInputStream(Path.of("/proc/self/fd/" + samples))));
      Libc.close(commands);
      Libc.close(samples);
      return loop;
    }

    @Override
    public void sample(long[] out, boolean[] sameCpu, long gapNanos) throws IOException {
      int bytes = 2 * out.length * Long.BYTES; // the latencies, then the same-CPU flags
      if (answer.length < bytes) {
        answer = new byte[bytes];
        answerView = ByteBuffer.wrap(answer).order(ByteOrder.nativeOrder());
      }
      command.putLong(0, out.length).putLong(8, gapNanos);
      commands.write(command.array());
      commands.flush();
      if (results.readNBytes(answer, 0, bytes) != bytes) {
        throw new IllegalStateException("the C loop ended early (exit status "
            + (process == null ? "in this JVM" : process.isAlive() ? "none yet"
                : process.exitValue()) + ")");
      }
      for (int i = 0; i < out.length; i++) {
        out[i] = answerView.getLong(i * Long.BYTES);
        sameCpu[i] = answerView.getLong((out.length + i) * Long.BYTES) != 0;
      }
    }

    @Override
    public void close() throws Exception {
      commands.close(); // end of input: the loop exits
      if (process != null && process.waitFor() != 0) {
        throw new IllegalStateException("the C loop failed: exit status " + process.exitValue());
      }
    }
  }

  private static final class UdriverPath implements LatencyPath {
    private final EventFdHardware hardware;
    private final DeviceNode device;
    private final Driver signaller;

    UdriverPath(int pinCpu, Path nativeSignaller) throws Exception {
      NativeStamp nativeStamp = new NativeStamp();
      InterruptConfig.Builder config =
          nativeSignaller == null
              ? InterruptConfig.builder(
                  "msi",
                  (interrupt, id) -> {
                    stamp();
                    return true;
                  })
              : InterruptConfig.builder(
                  "msi",
                  (interrupt, id) -> {
                    nativeStamp.run();
                    return true;
                  });
      if (pinCpu >= 0) {
        config.policy(ExtendedPolicy.specifiedProcessors(InterruptPriority.NORMAL, pinCpu));
      }
      InterruptConfig built = config.build();
      DriverWiring<Object> wiring =
          new DriverWiring<>() {
            @Override
            public Class<Object> driverType() {
              return Object.class;
            }

            @Override
            public List<InterruptConfig> interruptConfigs(Object driver) {
              return List.of(built);
            }
          };
      hardware = EventFdHardware.builder().message("msi").build();
      device = DeviceNode.create("latency", hardware);
      device.addDriver(new Object(), wiring);
      device.start();
      if (pinCpu >= 0) {
        awaitPinned(DeviceNode.dispatcherThreadOf(device.getInterrupts().get(0)), pinCpu);
      }
      signaller =
          signaller("udriver", hardware.source("msi", 0), pinCpu, nativeSignaller, nativeStamp);
    }

    @Override
    public void sample(long[] out, boolean[] sameCpu, long gapNanos) throws IOException {
      signaller.sample(out, sameCpu, gapNanos);
    }

    @Override
    public void close() throws Exception {
      signaller.close();
      device.close();
      hardware.close();
    }
  }

  private static final class ExecutorPath implements LatencyPath {
    private final ExecutorService executor;
    private final EventFdHardware hardware;
    private final int ep;
    private final Thread watcher;
    private final Driver signaller;

    ExecutorPath(int pinCpu, Path nativeSignaller) throws Exception {
      executor =
          Executors.newSingleThreadExecutor(
              r -> Thread.ofPlatform().name("latency-listener").unstarted(r));
      hardware = EventFdHardware.builder().message("msi").build();
      EventFdSource source = hardware.source("msi", 0);
      ep = Libc.epollCreate();
      Libc.epollCtl(ep, Libc.EPOLL_CTL_ADD, source.fd(), Libc.EPOLLIN, 1);
      NativeStamp nativeStamp = new NativeStamp();
      Runnable listener = nativeSignaller == null ? InterruptLatency::stamp : nativeStamp;
      if (pinCpu >= 0) {
        executor.submit(() -> pin("listener thread", 1L << pinCpu)).get();
      }
      CompletableFuture<Void> watching = new CompletableFuture<>();
      watcher =
          Thread.ofPlatform()
              .name("latency-watcher")
              .start(
                  () -> {
                    try {
                      if (pinCpu >= 0) {
                        pin("watcher thread", 1L << pinCpu);
                      }
                      watching.complete(null);
                    } catch (RuntimeException e) {
                      watching.completeExceptionally(e);
                      return;
                    }
                    try (Arena arena = Arena.ofConfined()) {
                      MemorySegment events = arena.allocate(EpollEvent.SIZE * 8, 8);
                      while (!Thread.currentThread().isInterrupted()) {
                        if (Libc.epollWait(ep, events, 8, 100) > 0 && source.readSignals() > 0) {
                          executor.execute(listener);
                        }
                      }
                    }
                  });
      watching.get();
      signaller = signaller("executor", source, pinCpu, nativeSignaller, nativeStamp);
    }

    @Override
    public void sample(long[] out, boolean[] sameCpu, long gapNanos) throws IOException {
      signaller.sample(out, sameCpu, gapNanos);
    }

    @Override
    public void close() throws Exception {
      signaller.close();
      watcher.interrupt();
      watcher.join();
      Libc.close(ep);
      executor.shutdown();
      hardware.close();
    }
  }

  // ---------------------------------------------------------------- processors

  private static final MethodHandle SCHED_GETCPU =
      Linker.nativeLinker()
          .downcallHandle(
              Linker.nativeLinker().defaultLookup().findOrThrow("sched_getcpu"),
              FunctionDescriptor.of(ValueLayout.JAVA_INT),
              Linker.Option.critical(false));

  /** The processor the calling thread runs on ({@code sched_getcpu}, a vDSO call). */
  private static int currentCpu() {
    try {
      return (int) SCHED_GETCPU.invokeExact();
    } catch (Throwable t) {
      throw new AssertionError(t);
    }
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  // ---------------------------------------------------------------- pinning

  private static void pin(String what, long mask) {
    if (mask == 0) {
      return; // one processor: nothing else to run on
    }
    String failure = ThreadPinning.platformDefault().pinCurrentThread(mask);
    if (failure != null) {
      throw new IllegalStateException("cannot pin the " + what + " to 0x" + Long.toHexString(mask)
          + ": " + failure);
    }
  }

  /**
   * With {@code --pin}, the signallers run on the processors other than the handlers' (every wake
   * across processors); with {@code --colocate}, on the handlers' processor (every wake on the
   * signaller's processor).
   */
  private static boolean pinTogether;

  private static long signallerMask(int cpu) {
    return pinTogether ? 1L << cpu : allBut(cpu);
  }

  private static long allBut(int cpu) {
    long all = PROCESSORS >= 64 ? -1L : (1L << PROCESSORS) - 1;
    return all & ~(1L << cpu);
  }

  /**
   * Waits for the thread named {@code name} to pin itself to {@code cpu} (it does so as it starts).
   * The kernel keeps 15 characters of a thread's name, which other dispatchers of the device may
   * share: one of the threads so named must be pinned to {@code cpu}.
   */
  private static void awaitPinned(String name, int cpu) {
    String comm = name.length() > 15 ? name.substring(0, 15) : name;
    String expected = Integer.toString(cpu);
    long deadline = System.nanoTime() + 2_000_000_000L;
    List<String> allowed = allowedCpus(comm);
    while (!allowed.contains(expected)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("thread " + name + " runs on CPUs " + allowed
            + ", not " + cpu + ": pinning failed (see the log above)");
      }
      Thread.onSpinWait();
      allowed = allowedCpus(comm);
    }
  }

  /** The {@code Cpus_allowed_list} of each thread whose kernel name is {@code comm}, from /proc. */
  private static List<String> allowedCpus(String comm) {
    List<String> allowed = new ArrayList<>();
    try (var tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path task : tasks.toList()) {
        if (Files.readString(task.resolve("comm")).strip().equals(comm)) {
          for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
              allowed.add(line.substring(line.indexOf(':') + 1).strip());
            }
          }
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the affinity of thread " + comm, e);
    }
    return allowed;
  }

  // ---------------------------------------------------------------- options

  private static final class Options {
    int samples = 50_000;
    int rounds = 2;
    int block = 20;
    int warmup = 60_000;
    long gapNanos = 20_000;
    int resamples = 1_000;
    int pinCpu = -1;
    Path dump;
    Path cSource = Path.of("benchmarks/src/main/c/eventfd_latency.c");
    boolean cInJvm;
    boolean nativeSignaller;
    boolean together;
    java.util.SplittableRandom shuffle;

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(name + " needs a value");
        }
        String value = args[++i];
        switch (name) {
          case "--samples" -> o.samples = positive(name, value);
          case "--rounds" -> o.rounds = positive(name, value);
          case "--block" -> o.block = positive(name, value);
          case "--warmup" -> o.warmup = Integer.parseInt(value);
          case "--gap-us" -> o.gapNanos = Long.parseLong(value) * 1_000;
          case "--bootstrap" -> o.resamples = positive(name, value);
          case "--pin" -> o.pinCpu = cpu(value);
          case "--colocate" -> {
            o.pinCpu = cpu(value);
            o.together = true;
          }
          case "--dump" -> o.dump = Path.of(value);
          case "--c-source" -> o.cSource = Path.of(value);
          case "--c-in-jvm" -> o.cInJvm = Boolean.parseBoolean(value);
          case "--native-signaller" -> o.nativeSignaller = Boolean.parseBoolean(value);
          case "--order" ->
              o.shuffle =
                  switch (value) {
                    case "rotate" -> null;
                    case "shuffle" -> new java.util.SplittableRandom(0x0bdeL);
                    default -> throw new IllegalArgumentException("--order rotate|shuffle");
                  };
          default -> throw new IllegalArgumentException("unknown argument " + name);
        }
      }
      return o;
    }

    private static int positive(String name, String value) {
      int n = Integer.parseInt(value);
      if (n <= 0) {
        throw new IllegalArgumentException(name + " must be positive, not " + value);
      }
      return n;
    }

    private static int cpu(String value) {
      int cpu = Integer.parseInt(value);
      if (cpu < 0 || cpu >= PROCESSORS || cpu >= 64) {
        throw new IllegalArgumentException(
            "--pin " + value + ": processors are 0.." + (Math.min(PROCESSORS, 64) - 1));
      }
      return cpu;
    }
  }
}
