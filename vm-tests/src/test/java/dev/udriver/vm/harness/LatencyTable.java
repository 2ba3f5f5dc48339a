package dev.udriver.vm.harness;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Markdown table of the interrupt round trips measured in the guest, each row with what it
 * measures and its ratio to a reference row of the same shape: a one-thread Java loop against the
 * one-thread C loop, udriver against the C hand-off loop (a handler thread woken in epoll_wait, as
 * udriver's dispatcher is). Absolute figures are emulation figures; ratios on one VM are what
 * compares. Percentiles cover the iterations after each loop's warm-up ({@code latency_from} of the
 * RESULT line; {@code samples} latencies); so does cycles/s where the loop reports it so.
 */
public final class LatencyTable {
    private LatencyTable() {}

    /**
     * A row: label, what it measures, step and RESULT test, and the step and test of the reference
     * row (null for none).
     */
    public record Row(String label, String measures, String step, String test, String referenceStep,
                      String referenceTest) {}

    /** The table, then {@code notes} as a list below it. */
    public static String render(GuestResults results, List<Row> rows, List<String> notes) {
        StringBuilder s = new StringBuilder(
                "| path | measures | samples | after warm-up of | p50 | p90 | p99 | max | cycles/s | reference "
                        + "| p50 vs ref | p99 vs ref |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            Map<String, String> r = find(results, row.step(), row.test());
            if (r == null) {
                continue;
            }
            Map<String, String> ref = row.referenceStep() == null ? null
                    : find(results, row.referenceStep(), row.referenceTest());
            String refLabel = rows.stream()
                    .filter(o -> o.step().equals(row.referenceStep()) && o.test().equals(row.referenceTest()))
                    .map(Row::label).findFirst().orElse("-");
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    row.label(), row.measures(), r.getOrDefault("samples", "-"), r.getOrDefault("latency_from", "-"),
                    us(r, "p50_ns"), us(r, "p90_ns"), us(r, "p99_ns"), us(r, "max_ns"), r.get("cycles_per_s"),
                    ref == null ? "-" : refLabel, ratio(r, ref, "p50_ns"), ratio(r, ref, "p99_ns")));
        }
        if (!notes.isEmpty()) {
            s.append('\n');
            notes.forEach(n -> s.append("- ").append(n).append('\n'));
        }
        return s.toString();
    }

    private static Map<String, String> find(GuestResults results, String step, String test) {
        return results.step(step).map(s -> s.results().get(test)).orElse(null);
    }

    private static String us(Map<String, String> r, String key) {
        String v = r.get(key);
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f us", Long.parseLong(v) / 1000.0);
    }

    private static String ratio(Map<String, String> r, Map<String, String> ref, String key) {
        if (ref == null || r.get(key) == null || ref.get(key) == null || Long.parseLong(ref.get(key)) == 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.2fx", Long.parseLong(r.get(key)) / (double) Long.parseLong(ref.get(key)));
    }
}
