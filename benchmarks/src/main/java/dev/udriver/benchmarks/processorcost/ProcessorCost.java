package dev.udriver.benchmarks.processorcost;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The cost of the udriver processor inside javac: compiles the same generated corpus in process
 * (javax.tools) with the processor and without it ({@code -proc:none}, the annotations still on the
 * class path), alternating, after warm-up rounds, and prints the median times, their ratio and the
 * time per driver.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.udriver.benchmarks.processorcost.ProcessorCost <processor-path> [sizes...] [--reps N]
 * [--warmup N] [--corpus small|realistic|both]}, where {@code <processor-path>} holds the processor jar and JavaPoet. The class path
 * of this JVM (the shaded benchmarks jar: annotations and runtime) is the corpus's class path.
 */
public final class ProcessorCost {

  private ProcessorCost() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ProcessorCost <processor-path> [sizes...] [--reps N] [--warmup N]"
              + " [--corpus small|realistic|both]");
      System.exit(2);
    }
    String processorPath = args[0];
    List<Integer> sizes = new ArrayList<>();
    int reps = 5;
    int warmup = 2;
    List<DriverCorpus.Kind> kinds = List.of(DriverCorpus.Kind.values());
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--reps")) {
        reps = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--warmup")) {
        warmup = Integer.parseInt(args[++i]);
      } else if (args[i].equals("--corpus")) {
        String kind = args[++i];
        kinds =
            kind.equals("both")
                ? List.of(DriverCorpus.Kind.values())
                : List.of(DriverCorpus.Kind.valueOf(kind.toUpperCase(Locale.ROOT)));
      } else {
        sizes.add(Integer.parseInt(args[i]));
      }
    }
    if (sizes.isEmpty()) {
      sizes = List.of(100, 1000);
    }
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
        "| corpus | drivers | javac -proc:none (ms) | javac + udriver processor (ms) | ratio | ms per"
            + " driver without / with | load average |%n|---|---|---|---|---|---|---|%n");
    for (DriverCorpus.Kind kind : kinds) {
      for (int n : sizes) {
        measure(javac, classPath, processorPath, kind, n, reps, warmup);
      }
    }
  }

  private static void measure(
      JavaCompiler javac,
      String classPath,
      String processorPath,
      DriverCorpus.Kind kind,
      int n,
      int reps,
      int warmup)
      throws IOException {
    Path root = Files.createTempDirectory("udriver-corpus-");
    try {
      List<Path> files = DriverCorpus.write(root.resolve("src"), n, kind);
      long[] without = new long[reps];
      long[] with = new long[reps];
      for (int r = -warmup; r < reps; r++) {
        long a = compile(javac, files, root, classPath, null);
        long b = compile(javac, files, root, classPath, processorPath);
        if (r >= 0) {
          without[r] = a;
          with[r] = b;
        }
      }
      double w = median(without) / 1e6;
      double p = median(with) / 1e6;
      System.out.printf(
          Locale.ROOT,
          "| %s | %d | %.0f | %.0f | %.3f | %.2f / %.2f | %s |%n",
          kind.name().toLowerCase(Locale.ROOT),
          n,
          w,
          p,
          p / w,
          w / n,
          p / n,
          loadAverage());
    } finally {
      delete(root);
    }
  }

  /** The 1-minute load average from /proc/loadavg, or "?" where there is none. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  private static long compile(
      JavaCompiler javac, List<Path> files, Path root, String classPath, String processorPath)
      throws IOException {
    Path out = root.resolve(processorPath == null ? "out-plain" : "out-processor");
    Path generated = root.resolve("generated");
    delete(out);
    delete(generated);
    Files.createDirectories(out);
    Files.createDirectories(generated);
    List<String> options = new ArrayList<>();
    options.addAll(Arrays.asList("-d", out.toString(), "-cp", classPath, "-s", generated.toString()));
    options.addAll(Arrays.asList("--release", "17", "-Xlint:none", "-nowarn"));
    if (processorPath == null) {
      options.add("-proc:none");
    } else {
      options.addAll(
          Arrays.asList(
              "-processorpath",
              processorPath,
              "-processor",
              "dev.udriver.processor.UdriverProcessor"));
    }
    StringWriter diagnostics = new StringWriter();
    long start = System.nanoTime();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, Locale.ROOT, null)) {
      List<File> sources = new ArrayList<>();
      for (Path file : files) {
        sources.add(file.toFile());
      }
      Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromFiles(sources);
      Boolean ok = javac.getTask(diagnostics, fm, null, options, null, units).call();
      long elapsed = System.nanoTime() - start;
      if (!ok) {
        throw new IllegalStateException("corpus did not compile:\n" + diagnostics);
      }
      return elapsed;
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
