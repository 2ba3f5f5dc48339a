package dev.udriver.vm.guest;

import java.util.Arrays;
import java.util.Locale;

/**
 * Counters of one interrupt loop in the guest, printed as the {@code RESULT} line that the host
 * parses (the C programs print the same keys). A loop passes when every raised interrupt was
 * claimed exactly once: none lost, none spurious, the status register right each time, no event
 * without a raise, and (where the device computes something) every value right.
 */
public final class LoopTally {
    final String test;
    final long[] latencies;
    final int warmup;
    public long raised, claimed, lost, spurious, wrongStatus, wrongValue, idleEvents;
    /** Time of the iterations after the warm-up. */
    public long elapsedNanos;

    /**
     * {@code test} names the RESULT line; {@code n} is the number of iterations (latency slots), of
     * which the first {@code warmup} are left out of the latency figures.
     */
    public LoopTally(String test, int warmup, int n) {
        this.test = test;
        this.warmup = Math.min(warmup, n);
        this.latencies = new long[n];
    }

    /** Records the round trip of iteration {@code i}, raise to wake-up. */
    public void latency(int i, long nanos) {
        latencies[i] = nanos;
    }

    public boolean passed() {
        return claimed == raised && lost == 0 && spurious == 0 && wrongStatus == 0 && wrongValue == 0
                && idleEvents == 0;
    }

    /**
     * Prints the RESULT line. Latency figures leave out the warm-up (the JIT compiles the loop
     * meanwhile, as in a long-running driver); the counts cover every iteration.
     */
    public void print() {
        int from = (int) Math.min(warmup, raised);
        long[] sorted = Arrays.copyOfRange(latencies, from, (int) raised);
        Arrays.sort(sorted);
        int n = sorted.length;
        double perSecond = elapsedNanos == 0 ? 0 : n * 1e9 / elapsedNanos;
        System.out.println(String.format(Locale.ROOT,
                "RESULT test=%s raised=%d claimed=%d lost=%d spurious=%d wrong_status=%d wrong_value=%d"
                        + " idle_events=%d latency_from=%d samples=%d p50_ns=%d p90_ns=%d p99_ns=%d max_ns=%d cycles_per_s=%.0f"
                        + " verdict=%s",
                test, raised, claimed, lost, spurious, wrongStatus, wrongValue, idleEvents, from, n,
                n == 0 ? 0 : sorted[n / 2], n == 0 ? 0 : sorted[n * 9 / 10], n == 0 ? 0 : sorted[n * 99 / 100],
                n == 0 ? 0 : sorted[n - 1], perSecond, passed() ? "PASS" : "FAIL"));
    }
}
