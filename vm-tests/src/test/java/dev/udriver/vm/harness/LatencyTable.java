package dev.udriver.vm.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A Markdown table of the interrupt round trips measured in the guest (raise through MMIO until
 * user space returns from its wait), each row with its ratio to a reference row, such as a Java
 * loop against the C loop of the same path. Absolute figures are emulation figures; ratios on one
 * VM are what compares. Percentiles cover the second half of each loop (C and Java alike), after
 * the JIT has warmed up; cycles/s covers the whole loop.
 */
public final class LatencyTable {
    private LatencyTable() {}

    /** A row: step and RESULT test, and the step and test of the reference row (null for none). */
    public record Row(String label, String step, String test, String referenceStep, String referenceTest) {}

    public static String render(GuestResults results, List<Row> rows) {
        StringBuilder s = new StringBuilder(
                "| path | p50 | p90 | p99 | max | cycles/s | p50 vs ref | p99 vs ref |\n|---|---|---|---|---|---|---|---|\n");
        for (Row row : rows) {
            Map<String, String> r = find(results, row.step(), row.test());
            if (r == null) {
                continue;
            }
            Map<String, String> ref = row.referenceStep() == null ? null
                    : find(results, row.referenceStep(), row.referenceTest());
            s.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", row.label(),
                    us(r, "p50_ns"), us(r, "p90_ns"), us(r, "p99_ns"), us(r, "max_ns"), r.get("cycles_per_s"),
                    ratio(r, ref, "p50_ns"), ratio(r, ref, "p99_ns")));
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

    static List<Row> rows(Row... rows) {
        return new ArrayList<>(List.of(rows));
    }
}
