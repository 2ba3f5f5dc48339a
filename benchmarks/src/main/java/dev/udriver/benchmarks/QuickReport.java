package dev.udriver.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the interrupt-object benchmarks in a quick mode (one fork, {@value #NANOSECOND_FORKS} for the
 * dispatch and lock rows, short iterations, {@code -prof gc}; the hand-off pairs in {@value
 * #HANDOFF_ROUNDS} rounds; about 9 minutes on 2 CPUs) and
 * rewrites their table of ratios in {@code benchmarks/README.md}, between the markers of its
 * section; the rest of the file is kept.
 *
 * <p>Usage: {@code benchmarks/run-quick.sh}, or {@code java -cp benchmarks/target/benchmarks.jar
 * dev.udriver.benchmarks.QuickReport benchmarks/README.md}.
 */
public final class QuickReport {

  static final String BEGIN = "<!-- interrupt-object-table:begin (written by QuickReport) -->";
  static final String END = "<!-- interrupt-object-table:end -->";

  /**
   * The hand-off rows compare a round trip with a baseline round trip between two bare threads.
   * On this kind of VM that baseline moves by 4× within minutes (110–811 ns for the bare busy spin:
   * where the host places the two virtual processors), so each row's pair runs back to back, in
   * several rounds, and the row reports the round with the median ratio beside every round's
   * ratio. Run in one block, the figures of a pair were measured half a minute apart.
   */
  static final int HANDOFF_ROUNDS = 3;

  /**
   * Forks of the dispatch and lock benchmarks, whose figure is their mean: the JIT's outcome differs
   * from fork to fork. In four forks of one run the direct non-inlined call to four classes took
   * 2.0, 2.0, 3.8 and 3.3 ns and the per-class sites 4.3, 3.1, 3.2 and 3.1 ns: fork by fork
   * 0.83–2.14×, the means 1.23×; a one-fork quick run had put that row at 2.06×. The lock's acquire
   * and release took 4.5 ns in most forks and 6.4 ns in some.
   */
  static final int NANOSECOND_FORKS = 3;

  /** Each pair's baseline right before its figure. */
  static final List<String> HANDOFF_ORDER =
      List.of(
          "bareBusySpin",
          "runtimeSpinThenPark",
          "bareParkUnpark",
          "runtimeParked",
          "runtimeParkedHog",
          "runtimeSpinThenParkHog");

  private QuickReport() {}

  /** Runs the benchmarks {@code include} matches in quick mode, by "Class.method". */
  private static Map<String, RunResult> run(String include, int forks) throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include(include)
            .forks(forks)
            // Long enough for the JIT on a loaded 2-processor machine: with 2 × 0.4 s the full
            // path was still being compiled in its measurement iterations (4.5 µs/op, then 0.8,
            // 0.66, 0.44), which measured the compiler's share of the processors.
            .warmupIterations(4)
            .warmupTime(TimeValue.milliseconds(500))
            .measurementIterations(3)
            .measurementTime(TimeValue.milliseconds(600))
            .addProfiler(GCProfiler.class)
            .jvmArgsAppend("--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED")
            .shouldFailOnError(true)
            .build();
    Map<String, RunResult> byName = new HashMap<>();
    for (RunResult r : new Runner(options).run()) {
      String label = r.getParams().getBenchmark();
      byName.put(label.substring(label.lastIndexOf('.', label.lastIndexOf('.') - 1) + 1), r);
    }
    return byName;
  }

  public static void main(String[] args) throws Exception {
    Path readme = Path.of(args.length > 0 ? args[0] : "benchmarks/README.md");
    String loadBefore = loadAverage();
    Map<String, RunResult> byName =
        new HashMap<>(
            run("dev\\.udriver\\.benchmarks\\.(IsrDispatch|LockAndQueue)Benchmark\\.", NANOSECOND_FORKS));
    byName.putAll(run("dev\\.udriver\\.benchmarks\\.ThroughputBenchmark\\.", 1));
    List<Map<String, RunResult>> handoffRounds = new ArrayList<>();
    for (int round = 0; round < HANDOFF_ROUNDS; round++) {
      Map<String, RunResult> results = new HashMap<>();
      for (String benchmark : HANDOFF_ORDER) {
        results.putAll(run("dev\\.udriver\\.benchmarks\\.HandoffBenchmark\\." + benchmark + "$", 1));
      }
      handoffRounds.add(results);
    }
    String loadAfter = loadAverage();
    // The machine's load beside the table: on shared processors it moves every figure.
    String table =
        table(byName, handoffRounds)
            + "\nLoad average (1 min, /proc/loadavg) on "
            + Runtime.getRuntime().availableProcessors()
            + " processors: "
            + loadBefore
            + " when the run began, "
            + loadAfter
            + " when it ended.\n";
    System.out.println(table);
    String text = Files.exists(readme) ? Files.readString(readme) : "# udriver benchmarks\n";
    String section = BEGIN + "\n" + table + END;
    int b = text.indexOf(BEGIN);
    int e = text.indexOf(END);
    if (b >= 0 && e > b) {
      text = text.substring(0, b) + section + text.substring(e + END.length());
    } else {
      text = text + "\n" + section + "\n";
    }
    Files.writeString(readme, text);
  }

  /** The 1-minute load average, or "unknown" off Linux. */
  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static double score(Map<String, RunResult> r, String name) {
    return r.get(name).getPrimaryResult().getScore();
  }

  private static double p50(Map<String, RunResult> r, String name) {
    return r.get(name).getPrimaryResult().getStatistics().getPercentile(50);
  }

  private static double alloc(Map<String, RunResult> r, String name) {
    Result<?> a = r.get(name).getSecondaryResults().get("gc.alloc.rate.norm");
    return a == null ? Double.NaN : a.getScore();
  }

  private static double secondary(Map<String, RunResult> r, String name, String key) {
    Result<?> a = r.get(name).getSecondaryResults().get(key);
    return a == null ? Double.NaN : a.getScore();
  }

  private static String row(String what, String measured, String baseline, double ratio, String target, boolean met, String bytes) {
    return row(what, measured, baseline, ratio, "", target, met, bytes);
  }

  private static String row(
      String what, String measured, String baseline, double ratio, String ratioNote, String target, boolean met, String bytes) {
    return "| " + what + " | " + measured + " | " + baseline + " | " + String.format("%.2f×", ratio) + ratioNote + " | "
        + target + " | " + (met ? "met" : "**missed**") + " | " + bytes + " |\n";
  }

  private static String ns(double v) {
    return String.format("%.2f ns", v);
  }

  private static String bytes(Map<String, RunResult> r, String... names) {
    StringBuilder s = new StringBuilder();
    for (String n : names) {
      if (s.length() > 0) {
        s.append(" / ");
      }
      s.append(String.format("%.2f", alloc(r, n)));
    }
    return s.toString();
  }

  /**
   * One hand-off row: the round whose ratio is the median of the rounds', every round's ratio in
   * the ratio column; met when the median is within {@code limit}.
   */
  private static String handoffRow(
      List<Map<String, RunResult>> rounds,
      String what,
      String measured,
      String baselineWhat,
      String baseline,
      String target,
      double limit) {
    String measuredName = "HandoffBenchmark." + measured;
    String baselineName = "HandoffBenchmark." + baseline;
    List<Map<String, RunResult>> byRatio = new ArrayList<>(rounds);
    byRatio.sort(Comparator.comparingDouble(r -> p50(r, measuredName) / p50(r, baselineName)));
    Map<String, RunResult> median = byRatio.get(byRatio.size() / 2);
    double ratio = p50(median, measuredName) / p50(median, baselineName);
    StringBuilder each = new StringBuilder();
    for (Map<String, RunResult> r : rounds) {
      each.append(each.length() == 0 ? " (rounds: " : ", ")
          .append(String.format("%.2f×", p50(r, measuredName) / p50(r, baselineName)));
    }
    each.append(')');
    return row(what, ns(p50(median, measuredName)), baselineWhat + " " + ns(p50(median, baselineName)), ratio, each.toString(),
        target, ratio <= limit, bytes(median, measuredName, baselineName));
  }

  static String table(Map<String, RunResult> r, List<Map<String, RunResult>> rounds) {
    StringBuilder t = new StringBuilder();
    t.append("| figure | measured | baseline (same run) | ratio | target | verdict | B/op (measured / baseline) |\n");
    t.append("|---|---|---|---|---|---|---|\n");
    double direct = score(r, "IsrDispatchBenchmark.directNotInlined");
    double gen = score(r, "IsrDispatchBenchmark.generatedWiring");
    double site = score(r, "IsrDispatchBenchmark.generatedWiringRuntimeSite");
    double jfr = score(r, "IsrDispatchBenchmark.generatedWiringWithJfrCheck");
    double refl = score(r, "IsrDispatchBenchmark.reflection");
    double shared = score(r, "IsrDispatchBenchmark.fourClassesSharedSite");
    double perClass = score(r, "IsrDispatchBenchmark.fourClassesPerClassSites");
    double fourDirect = score(r, "IsrDispatchBenchmark.fourClassesDirectNotInlined");
    t.append(row("ISR through generated wiring", ns(gen), "direct non-inlined " + ns(direct), gen / direct, "≤ 1.5×", gen / direct <= 1.5,
        bytes(r, "IsrDispatchBenchmark.generatedWiring", "IsrDispatchBenchmark.directNotInlined")));
    t.append(row("ISR through the runtime's call site", ns(site), "direct non-inlined " + ns(direct), site / direct, "≤ 1.5×", site / direct <= 1.5,
        bytes(r, "IsrDispatchBenchmark.generatedWiringRuntimeSite", "IsrDispatchBenchmark.directNotInlined")));
    t.append(row("… plus the JFR enabled check (not recording)", ns(jfr), "runtime call site " + ns(site), jfr / site, "≈ 1× (cheap)", jfr - site < 1.0,
        bytes(r, "IsrDispatchBenchmark.generatedWiringWithJfrCheck")));
    t.append(row("4 driver classes, runtime per-class sites", ns(perClass), "4 classes direct non-inlined " + ns(fourDirect), perClass / fourDirect, "≤ 1.5×", perClass / fourDirect <= 1.5,
        bytes(r, "IsrDispatchBenchmark.fourClassesPerClassSites")));
    t.append(row("4 driver classes, one shared site (not used)", ns(shared), "4 classes direct non-inlined " + ns(fourDirect), shared / fourDirect, "(reference)", true,
        bytes(r, "IsrDispatchBenchmark.fourClassesSharedSite")));
    t.append(row("reflection (`Method.invoke`, not used)", ns(refl), "direct non-inlined " + ns(direct), refl / direct, "(reference)", true,
        bytes(r, "IsrDispatchBenchmark.reflection")));
    double noLock = score(r, "LockAndQueueBenchmark.noLock");
    double locked = score(r, "LockAndQueueBenchmark.acquireRelease");
    double handle = score(r, "LockAndQueueBenchmark.lockHandle");
    t.append(row("uncontended acquire + release around the ISR", ns(locked) + " (+" + ns(locked - noLock) + ")", "no lock " + ns(noLock), locked / noLock, "adds ≤ 5 ns", locked - noLock <= 5,
        bytes(r, "LockAndQueueBenchmark.acquireRelease", "LockAndQueueBenchmark.noLock")));
    t.append(row("`try (var held = interrupt.lock())`", ns(handle) + " (+" + ns(handle - noLock) + ")", "no lock " + ns(noLock), handle / noLock, "adds ≤ 5 ns", handle - noLock <= 5,
        bytes(r, "LockAndQueueBenchmark.lockHandle")));
    double queued = score(r, "LockAndQueueBenchmark.queueAlreadyQueued");
    double load = score(r, "LockAndQueueBenchmark.baselineAcquireLoad");
    double cas = score(r, "LockAndQueueBenchmark.baselineFailingCas");
    t.append(row("queue a work item already queued (ISR, lock held)", ns(queued), "acquire load " + ns(load) + ", failing CAS " + ns(cas), queued / cas, "< 1× a failing CAS", queued < cas,
        bytes(r, "LockAndQueueBenchmark.queueAlreadyQueued")));
    double single = score(r, "ThroughputBenchmark.singleThread");
    t.append(row("full path per ISR, one thread (sim)", ns(single), "20 M/s budget 50.00 ns", single / 50.0, "≤ 1× (≥ 20 M/s)", single <= 50.0,
        bytes(r, "ThroughputBenchmark.singleThread")));
    double refiring = secondary(r, "ThroughputBenchmark.refiring", "isrCalls");
    t.append(row("ISR calls/s, 16 always-pending sources → 1 dispatcher thread (the ISR re-fires its message; ISR timing on)", String.format("%.1f M/s", refiring / 1e6), "target 20 M/s", refiring / 20e6, "≥ 1×", refiring >= 20e6,
        String.format("%.3f", alloc(r, "ThroughputBenchmark.refiring") / Math.max(1.0, refiring / 1000.0))));
    double fires = score(r, "ThroughputBenchmark.threaded");
    double isrs = secondary(r, "ThroughputBenchmark.threaded", "isrCalls");
    t.append(row("ISR calls/s, 16 sources → 1 dispatcher thread, a source fires again once served (round-trip bound)", String.format("%.1f M/s (%.1f M fires/s)", isrs / 1e6, fires / 1e6), "target 20 M/s", isrs / 20e6, "(reference)", true,
        bytes(r, "ThroughputBenchmark.threaded")));
    t.append(handoffRow(rounds, "source → ISR round trip, parked (p50)", "runtimeParked", "bare park/unpark", "bareParkUnpark", "≤ 1.1×", 1.1));
    t.append(handoffRow(rounds, "source → ISR round trip, spin-then-park (p50)", "runtimeSpinThenPark", "bare busy spin", "bareBusySpin", "≤ 2×", 2));
    t.append(handoffRow(rounds, "spin-then-park with a CPU hog (p50)", "runtimeSpinThenParkHog", "parked with the hog", "runtimeParkedHog", "≤ 2×", 2));
    return t.toString();
  }
}
