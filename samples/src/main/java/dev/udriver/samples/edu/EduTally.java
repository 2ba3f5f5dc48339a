package dev.udriver.samples.edu;

import java.util.Arrays;
import java.util.Locale;

/**
 * Counters of one test of {@link EduMain}, printed as a {@code RESULT key=value ...} line in the
 * format of the VM test's C programs. It passes when every raised interrupt was claimed exactly
 * once: none lost, none spurious, the status right each time, no interrupt without a request, and
 * every computed value right.
 */
final class EduTally {
  final String test;
  private final long[] latencies;
  private int timed;
  long raised, claimed, lost, spurious, wrongStatus, wrongValue, idleEvents, elapsedNanos;

  EduTally(String test, int capacity) {
    this.test = test;
    this.latencies = new long[capacity];
  }

  void latency(long nanos) {
    if (timed < latencies.length) {
      latencies[timed++] = nanos;
    }
  }

  boolean passed() {
    return raised > 0 && claimed == raised && lost == 0 && spurious == 0 && wrongStatus == 0
        && wrongValue == 0 && idleEvents == 0;
  }

  /**
   * The RESULT line; latency percentiles cover the second half (after JIT warm-up); cycles/s
   * covers the loops themselves (not the idle checks, starts and stops between them).
   */
  String line() {
    int from = timed / 2;
    long[] sorted = Arrays.copyOfRange(latencies, from, timed);
    Arrays.sort(sorted);
    int n = sorted.length;
    double perSecond = elapsedNanos == 0 ? 0 : raised * 1e9 / elapsedNanos;
    return String.format(
        Locale.ROOT,
        "RESULT test=%s raised=%d claimed=%d lost=%d spurious=%d wrong_status=%d wrong_value=%d"
            + " idle_events=%d latency_from=%d p50_ns=%d p90_ns=%d p99_ns=%d max_ns=%d"
            + " cycles_per_s=%.0f verdict=%s",
        test, raised, claimed, lost, spurious, wrongStatus, wrongValue, idleEvents, from,
        n == 0 ? 0 : sorted[n / 2], n == 0 ? 0 : sorted[n * 9 / 10],
        n == 0 ? 0 : sorted[n * 99 / 100], n == 0 ? 0 : sorted[n - 1], perSecond,
        passed() ? "PASS" : "FAIL");
  }
}
