package dev.udriver.vm.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What came back from the guest through the results share: the {@code results} file that the
 * guest's {@code /init} appends to (one line per binding and per step, {@code done} at the end) and
 * each step's output with its {@code RESULT key=value ...} lines.
 */
public record GuestResults(List<String> lines, Map<String, Step> steps, boolean finished, String serialLog) {

    /** One step: exit status (137 = killed by its time limit), guest seconds, output and RESULT lines. */
    public record Step(String name, int exitStatus, String seconds, String output, Map<String, Map<String, String>> results) {
        /** The key=value pairs of the RESULT line whose {@code test=} is {@code test}. */
        public Map<String, String> result(String test) {
            Map<String, String> r = results.get(test);
            if (r == null) {
                throw new AssertionError("step " + name + " printed no RESULT for test=" + test + "; output:\n" + output);
            }
            return r;
        }

        public long number(String test, String key) {
            String v = result(test).get(key);
            if (v == null) {
                throw new AssertionError("RESULT test=" + test + " has no " + key + ": " + result(test));
            }
            return Long.parseLong(v);
        }
    }

    static GuestResults read(Path out, String serialLog) throws IOException {
        Path file = out.resolve("results");
        List<String> lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        Map<String, Step> steps = new LinkedHashMap<>();
        boolean finished = false;
        for (String line : lines) {
            if (line.equals("done")) {
                finished = true;
            }
            if (!line.startsWith("step ")) {
                continue;
            }
            String[] f = line.split(" ");
            String name = f[1];
            int rc = Integer.parseInt(f[2].substring("rc=".length()));
            String secs = f[3].substring("secs=".length());
            Path o = out.resolve(name + ".out");
            String output = Files.exists(o) ? Files.readString(o) : "";
            steps.put(name, new Step(name, rc, secs, output, parse(output)));
        }
        return new GuestResults(lines, steps, finished, serialLog);
    }

    static Map<String, Map<String, String>> parse(String output) {
        Map<String, Map<String, String>> results = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            if (!line.startsWith("RESULT ")) {
                continue;
            }
            Map<String, String> kv = new LinkedHashMap<>();
            for (String token : line.substring(7).trim().split("\\s+")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    kv.put(token.substring(0, eq), token.substring(eq + 1));
                }
            }
            results.put(kv.getOrDefault("test", "?"), kv);
        }
        return results;
    }

    public Optional<Step> step(String name) {
        return Optional.ofNullable(steps.get(name));
    }

    /** Lines of the results file that start with {@code prefix}. */
    public List<String> linesStartingWith(String prefix) {
        List<String> l = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith(prefix)) {
                l.add(line);
            }
        }
        return l;
    }

    /** A readable account for assertion messages. */
    public String describe() {
        String tail = serialLog.length() > 4000 ? "..." + serialLog.substring(serialLog.length() - 4000) : serialLog;
        return "guest results:\n  " + String.join("\n  ", lines) + "\nserial console (tail):\n" + tail;
    }
}
