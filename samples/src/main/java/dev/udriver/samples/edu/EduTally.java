package dev.udriver.samples.edu;

import java.util.Arrays;
import java.util.Locale;

/**
 * Counters of one test of {@link EduMain}, printed as a {@code RESULT key=value ...} line in the
 * format of the VM test's C programs. It passes when every raised interrupt was claimed exactly
 * once: none lost, none spurious, the status right each time, no interrupt without a request, and
 * every computed value right. Iterations of the warm-up count like all others; only their latencies
 * are left out.
 */
final class EduTally {
  final String test;
  private final long[] latencies;
  private int timed;
  private boolean warmingUp;
  private long warmup;
  long raised, claimed, lost, spurious, wrongStatus, wrongValue, idleEvents, elapsedNanos;

  /** {@code capacity}: the latencies to keep (those after the warm-up). */
  EduTally(String test, int capacity) {
    this.test = test;
    this.latencies = new long[capacity];
  }

  /** From now until {@link #measure()}, latencies are not kept: the JIT is still compiling. */
  void warmUp() {
    warmingUp = true;
  }

  /** Ends the warm-up: the iterations so far are the warm-up, latencies are kept from now. */
  void measure() {
    warmingUp = false;
    warmup = raised;
  }

  void latency(long nanos) {
    if (!warmingUp && timed < latencies.length) {
      latencies[timed++] = nanos;
    }
  }

  boolean passed() {
    return raised > 0 && claimed == raised && lost == 0 && spurious == 0 && wrongStatus == 0
        && wrongValue == 0 && idleEvents == 0;
  }

  /**
   * The RESULT line; latency percentiles cover what came after the warm-up ({@code latency_from}
   * iterations, {@code samples} latencies); cycles/s covers the measured loops themselves (not the
   * warm-up, nor the idle checks, starts and stops between them).
   */
  String line() {
    long[] sorted = Arrays.copyOf(latencies, timed);
    Arrays.sort(sorted);
    int n = sorted.length;
    double perSecond = elapsedNanos == 0 ? 0 : (raised - warmup) * 1e9 / elapsedNanos;
    return String.format(
        Locale.ROOT,
        "RESULT test=%s raised=%d claimed=%d lost=%d spurious=%d wrong_status=%d wrong_value=%d"
            + " idle_events=%d latency_from=%d samples=%d p50_ns=%d p90_ns=%d p99_ns=%d max_ns=%d"
            + " cycles_per_s=%.0f verdict=%s",
        test, raised, claimed, lost, spurious, wrongStatus, wrongValue, idleEvents, warmup, n,
        n == 0 ? 0 : sorted[n / 2], n == 0 ? 0 : sorted[n * 9 / 10],
        n == 0 ? 0 : sorted[n * 99 / 100], n == 0 ? 0 : sorted[n - 1], perSecond,
        passed() ? "PASS" : "FAIL");
  }
}
