package dev.udriver.benchmarks.processorcost;

import com.sun.source.util.JavacTask;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The cost of the udriver processor inside javac: compiles the same generated corpus in process
 * (javax.tools) without a processor ({@code -proc:none}, the annotations still on the class path),
 * with {@link DoNothingProcessor} (the cost of having any processor at all), and with the udriver
 * processor in each requested configuration, interleaved, after warm-up rounds; prints the median
 * wall time, process CPU time (with the JIT compiler and the garbage collector) and CPU time of the
 * compiling thread, their ratios to the same run's {@code -proc:none} times, and the compiling
 * thread's time added per driver.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.udriver.benchmarks.processorcost.ProcessorCost <processor-path> [sizes...] [--reps N]
 * [--warmup N] [--only small|realistic] [--option key=value]...}, where {@code <processor-path>}
 * holds the processor jar and its dependencies. {@code --option} passes {@code -Akey=value} to the
 * udriver processor; giving one key several values measures one configuration per value (for
 * example {@code --option udriver.wiring=source --option udriver.wiring=class}). The class path of
 * this JVM (the shaded benchmarks jar: annotations and runtime) is the corpus's class path.
 *
 * <p>{@code --phases N} adds, after the timed compilations, N more of each kind with {@link
 * PhaseTimes} listening, and a second table of where their compiling thread's time went: javac's
 * annotation-processing step (without the processors' own calls: re-entering the trees for the
 * final round and again for the compilation proper), the processors' calls, and the body rules
 * after each class's analysis. The timed figures never come from these listened-to compilations.
 */
public final class ProcessorCost {

  private static final String UDRIVER_PROCESSOR = "dev.udriver.processor.UdriverProcessor";

  /**
   * One way to compile the corpus.
   *
   * @param label how the table names it
   * @param processorPath the processor path, null for {@code -proc:none}
   * @param processor the processor class
   * @param options the {@code -A} options
   */
  private record Setup(
      String label, String processorPath, String processor, List<String> options) {}

  private ProcessorCost() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println(
          "usage: ProcessorCost <processor-path> [sizes...] [--reps N] [--warmup N]"
              + " [--only small|realistic] [--option key=value]... [--phases N]");
      System.exit(2);
    }
    String processorPath = args[0];
    List<Integer> sizes = new ArrayList<>();
    int reps = 5;
    int warmup = 2;
    int phaseReps = 0;
    List<DriverCorpus.Kind> kinds = List.of(DriverCorpus.Kind.values());
    Map<String, List<String>> options = new LinkedHashMap<>();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--reps" -> reps = Integer.parseInt(args[++i]);
        case "--warmup" -> warmup = Integer.parseInt(args[++i]);
        case "--phases" -> phaseReps = Integer.parseInt(args[++i]);
        case "--only", "--corpus" -> {
          String kind = args[++i];
          kinds =
              kind.equals("both")
                  ? List.of(DriverCorpus.Kind.values())
                  : List.of(DriverCorpus.Kind.valueOf(kind.toUpperCase(Locale.ROOT)));
        }
        case "--option" -> {
          String option = args[++i];
          int equals = option.indexOf('=');
          if (equals <= 0) {
            throw new IllegalArgumentException("--option wants key=value, got " + option);
          }
          options
              .computeIfAbsent(option.substring(0, equals), k -> new ArrayList<>())
              .add(option.substring(equals + 1));
        }
        default -> sizes.add(Integer.parseInt(args[i]));
      }
    }
    if (sizes.isEmpty()) {
      sizes = List.of(100, 1000);
    }
    Path doNothingPath = Files.createTempDirectory("udriver-do-nothing-");
    try {
      copyDoNothingProcessor(doNothingPath);
      List<Setup> setups = new ArrayList<>();
      setups.add(new Setup("none (-proc:none)", null, null, List.of()));
      setups.add(
          new Setup(
              "do-nothing", doNothingPath.toString(), DoNothingProcessor.class.getName(),
              List.of()));
      for (List<String> udriverOptions : combinations(options)) {
        String label =
            udriverOptions.isEmpty() ? "udriver" : "udriver " + String.join(" ", udriverOptions);
        List<String> javacOptions = new ArrayList<>();
        for (String option : udriverOptions) {
          javacOptions.add("-A" + option);
        }
        setups.add(new Setup(label, processorPath, UDRIVER_PROCESSOR, javacOptions));
      }
      run(setups, kinds, sizes, reps, warmup, phaseReps);
    } finally {
      delete(doNothingPath);
    }
  }

  private static void run(
      List<Setup> setups,
      List<DriverCorpus.Kind> kinds,
      List<Integer> sizes,
      int reps,
      int warmup,
      int phaseReps)
      throws IOException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    String classPath = System.getProperty("java.class.path");
    System.out.printf(
        Locale.ROOT,
        "%s, %d cores, load average before: %s%n",
        System.getProperty("java.vm.version"),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    System.out.printf(
        Locale.ROOT,
        "| corpus | drivers | processor | wall ms, -proc:none / with | wall ratio"
            + " | process CPU ms, -proc:none / with | ratio"
            + " | compile thread CPU ms, -proc:none / with | ratio | thread ms added per driver"
            + " | load average |%n"
            + "|---|---|---|---|---|---|---|---|---|---|---|%n");
    StringBuilder phaseRows = new StringBuilder();
    for (DriverCorpus.Kind kind : kinds) {
      for (int n : sizes) {
        measure(javac, classPath, setups, kind, n, reps, warmup, phaseReps, phaseRows);
      }
    }
    if (phaseReps > 0) {
      System.out.printf(
          Locale.ROOT,
          "%nWhere the compiling thread's time goes (medians of %d listened-to compilations per"
              + " row, ms):%n%n"
              + "| corpus | drivers | processor | compile thread CPU | ratio to -proc:none"
              + " | ratio to do-nothing | javac's processing step without the processors' calls"
              + " | processors' calls (rounds) | body rules after analysis"
              + " | rest above -proc:none | load average |%n"
              + "|---|---|---|---|---|---|---|---|---|---|---|%n",
          phaseReps);
      System.out.print(phaseRows);
    }
  }

  /** Every choice of one value per key, in the order given; one empty list without options. */
  private static List<List<String>> combinations(Map<String, List<String>> options) {
    List<List<String>> result = new ArrayList<>();
    result.add(List.of());
    for (Map.Entry<String, List<String>> option : options.entrySet()) {
      List<List<String>> extended = new ArrayList<>();
      for (List<String> prefix : result) {
        for (String value : option.getValue()) {
          List<String> combination = new ArrayList<>(prefix);
          combination.add(option.getKey() + "=" + value);
          extended.add(combination);
        }
      }
      result = extended;
    }
    return result;
  }

  /** Copies {@link DoNothingProcessor}'s class file into a processor path of its own. */
  private static void copyDoNothingProcessor(Path directory) throws IOException {
    String resource = DoNothingProcessor.class.getName().replace('.', '/') + ".class";
    Path target = directory.resolve(resource);
    Files.createDirectories(target.getParent());
    try (InputStream in = ProcessorCost.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("missing " + resource + " on the class path");
      }
      Files.copy(in, target);
    }
  }

  private static void measure(
      JavaCompiler javac,
      String classPath,
      List<Setup> setups,
      DriverCorpus.Kind kind,
      int n,
      int reps,
      int warmup,
      int phaseReps,
      StringBuilder phaseRows)
      throws IOException {
    Path root = Files.createTempDirectory("udriver-corpus-");
    try {
      List<Path> files = DriverCorpus.write(root.resolve("src"), n, kind);
      long[][] wall = new long[setups.size()][reps];
      long[][] cpu = new long[setups.size()][reps];
      long[][] thread = new long[setups.size()][reps];
      for (int r = -warmup; r < reps; r++) {
        for (int s = 0; s < setups.size(); s++) {
          Used used = compile(javac, files, root, classPath, setups.get(s), null);
          if (r >= 0) {
            wall[s][r] = used.wall();
            cpu[s][r] = used.cpu();
            thread[s][r] = used.thread();
          }
        }
      }
      if (phaseReps > 0) {
        phases(javac, classPath, setups, kind, n, files, root, phaseReps, phaseRows);
      }
      double wallWithout = median(wall[0]) / 1e6;
      double cpuWithout = median(cpu[0]) / 1e6;
      double threadWithout = median(thread[0]) / 1e6;
      String load = loadAverage();
      for (int s = 1; s < setups.size(); s++) {
        double wallWith = median(wall[s]) / 1e6;
        double cpuWith = median(cpu[s]) / 1e6;
        double threadWith = median(thread[s]) / 1e6;
        System.out.printf(
            Locale.ROOT,
            "| %s | %d | %s | %.0f / %.0f | %.2f | %.0f / %.0f | %.2f | %.0f / %.0f | %.2f | %.2f"
                + " | %s |%n",
            kind.name().toLowerCase(Locale.ROOT),
            n,
            setups.get(s).label(),
            wallWithout,
            wallWith,
            wallWith / wallWithout,
            cpuWithout,
            cpuWith,
            cpuWith / cpuWithout,
            threadWithout,
            threadWith,
            threadWith / threadWithout,
            (threadWith - threadWithout) / n,
            load);
      }
    } finally {
      delete(root);
    }
  }

  /**
   * CPU time of this whole JVM (compiling thread, JIT compilers, garbage collector): unlike wall
   * time, it does not grow while other processes hold the CPUs, so it is the steadier measure on
   * a shared machine.
   */
  private static long processCpuTime() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The 1-minute load average from /proc/loadavg, or "?" where there is none. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** The {@code --phases} compilations of one corpus and their table rows. */
  private static void phases(
      JavaCompiler javac,
      String classPath,
      List<Setup> setups,
      DriverCorpus.Kind kind,
      int n,
      List<Path> files,
      Path root,
      int phaseReps,
      StringBuilder rows)
      throws IOException {
    // Per setup: compile thread, processing step, rounds, after analysis.
    long[][][] times = new long[setups.size()][4][phaseReps];
    for (int r = 0; r < phaseReps; r++) {
      for (int s = 0; s < setups.size(); s++) {
        long[] phases = new long[3];
        times[s][0][r] = compile(javac, files, root, classPath, setups.get(s), phases).thread();
        times[s][1][r] = phases[0];
        times[s][2][r] = phases[1];
        times[s][3][r] = phases[2];
      }
    }
    double none = median(times[0][0]) / 1e6;
    double doNothing = median(times[1][0]) / 1e6;
    String load = loadAverage();
    for (int s = 0; s < setups.size(); s++) {
      double thread = median(times[s][0]) / 1e6;
      double processing = median(times[s][1]) / 1e6;
      double rounds = median(times[s][2]) / 1e6;
      double body = median(times[s][3]) / 1e6;
      rows.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %s | %.0f | %.2f | %.2f | %.0f | %.0f | %.0f | %.0f | %s |%n",
              kind.name().toLowerCase(Locale.ROOT),
              n,
              setups.get(s).label(),
              thread,
              thread / none,
              thread / doNothing,
              processing - rounds,
              rounds,
              body,
              thread - none - processing - body,
              load));
    }
  }

  /**
   * What one compilation used, in nanoseconds: wall time, CPU time of this JVM, CPU time of the
   * compiling thread. All three span the same interval, from creating the file manager to the end
   * of javac's task; removing the previous compilation's output and checking this one's wirings
   * lie outside it.
   */
  private record Used(long wall, long cpu, long thread) {}

  /**
   * Compiles the corpus once; with {@code phases}, also records {@link PhaseTimes}' processing
   * step, rounds and after-analysis time there, in nanoseconds.
   */
  private static Used compile(
      JavaCompiler javac,
      List<Path> files,
      Path root,
      String classPath,
      Setup setup,
      long[] phases)
      throws IOException {
    Path out = root.resolve("out");
    Path generated = root.resolve("generated");
    delete(out);
    delete(generated);
    Files.createDirectories(out);
    Files.createDirectories(generated);
    List<String> options = new ArrayList<>();
    options.addAll(Arrays.asList("-d", out.toString(), "-cp", classPath, "-s", generated.toString()));
    options.addAll(Arrays.asList("--release", "17", "-Xlint:none", "-nowarn"));
    if (setup.processorPath() == null) {
      options.add("-proc:none");
    } else {
      options.addAll(
          Arrays.asList("-processorpath", setup.processorPath(), "-processor", setup.processor()));
      options.addAll(setup.options());
    }
    StringWriter diagnostics = new StringWriter();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long cpuBefore = processCpuTime();
    long threadBefore = threads.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, null)) {
      List<File> sources = new ArrayList<>();
      for (Path file : files) {
        sources.add(file.toFile());
      }
      Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromFiles(sources);
      JavaCompiler.CompilationTask task = javac.getTask(diagnostics, fm, null, options, null, units);
      PhaseTimes times = phases == null ? null : PhaseTimes.listen((JavacTask) task);
      Boolean ok = task.call();
      long elapsed = System.nanoTime() - start;
      Used used =
          new Used(
              elapsed,
              processCpuTime() - cpuBefore,
              threads.getCurrentThreadCpuTime() - threadBefore);
      if (times != null) {
        phases[0] = times.processing();
        phases[1] = times.rounds();
        phases[2] = times.afterAnalysis();
      }
      if (!ok) {
        throw new IllegalStateException("corpus did not compile:\n" + diagnostics);
      }
      if (UDRIVER_PROCESSOR.equals(setup.processor())) {
        checkWirings(out, files.size() - 1, setup);
      }
      return used;
    }
  }

  /** Makes sure the processor did its work: one wiring class per driver in the class output. */
  private static void checkWirings(Path out, int drivers, Setup setup) throws IOException {
    long wirings;
    try (Stream<Path> walk = Files.walk(out)) {
      wirings = walk.filter(p -> p.getFileName().toString().endsWith("_Wiring.class")).count();
    }
    if (wirings != drivers) {
      throw new IllegalStateException(
          setup.label() + " wrote " + wirings + " wiring classes for " + drivers + " drivers");
    }
  }

  private static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int m = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2.0;
  }

  private static void delete(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toArray(Path[]::new)) {
        Files.delete(p);
      }
    }
  }
}
