package dev.udriver.runtime;

import java.util.Arrays;

/**
 * A snapshot of one interrupt's counters. Each counter is read on its own, without stopping
 * dispatch, so a snapshot taken while interrupts arrive may mix moments a few signals apart.
 *
 * @param signals signals delivered by the interrupt's source (each edge, message or assertion)
 * @param isrCalls ISR invocations
 * @param claimed ISR invocations that returned true
 * @param unclaimed ISR invocations that returned false
 * @param coalesced signals that arrived while the ISR was pending or running and were served by
 *     the same further call ({@code signals - isrCalls} for edge and MSI sources)
 * @param workItemsQueued {@code queueWorkItemForIsr()} calls that returned true
 * @param workItemsCoalesced {@code queueWorkItemForIsr()} calls that returned false
 * @param workItemsRun work item invocations
 * @param callbackFailures driver callbacks that threw
 * @param dropped signals that arrived while the interrupt was being disconnected and were not
 *     served; {@code signals == isrCalls + coalesced + dropped}
 * @param verifierFindings rule violations the verifier found on this interrupt (0 with the verifier
 *     off)
 * @param isrTime how long each ISR call took, lock hand-over and bookkeeping included (empty when
 *     the device's timing is off). A dispatcher reads the clock once per batch of pending
 *     interrupts, not per call: a call served alone, or with the verifier on, records its own
 *     time; a call served in a batch of n records the batch's time divided by n
 * @param workItemLatency from the start of the ISR call (or of its batch) that queued a work item
 *     to the start of the work item's run (empty when timing is off)
 */
public record InterruptStatistics(
    long signals,
    long isrCalls,
    long claimed,
    long unclaimed,
    long coalesced,
    long workItemsQueued,
    long workItemsCoalesced,
    long workItemsRun,
    long callbackFailures,
    long dropped,
    long verifierFindings,
    LatencyHistogram isrTime,
    LatencyHistogram workItemLatency) {

  /** The longest ISR call, in nanoseconds. */
  public long maxIsrNanos() {
    return isrTime.maxNanos();
  }

  /** The longest ISR → work item latency, in nanoseconds. */
  public long maxWorkItemLatencyNanos() {
    return workItemLatency.maxNanos();
  }

  /**
   * A snapshot of durations in power-of-two buckets: bucket {@code b} counts durations {@code d} with
   * {@code 2^(b-1) <= d < 2^b} nanoseconds (bucket 0 counts zero-length ones; the last bucket also
   * everything longer). Recorded without allocation on the interrupt path; read without stopping it,
   * so buckets of one snapshot may be a few recordings apart.
   *
   * @param buckets the 64 bucket counts
   * @param maxNanos the longest duration recorded
   */
  public record LatencyHistogram(long[] buckets, long maxNanos) {

    /** An empty histogram. */
    public static final LatencyHistogram EMPTY = new LatencyHistogram(new long[64], 0);

    public LatencyHistogram {
      buckets = buckets.clone();
    }

    @Override
    public long[] buckets() {
      return buckets.clone();
    }

    /** Durations recorded. */
    public long count() {
      long sum = 0;
      for (long b : buckets) {
        sum += b;
      }
      return sum;
    }

    /** The exclusive upper bound of bucket {@code b} in nanoseconds ({@code 2^b}). */
    public static long bucketUpperBoundNanos(int bucket) {
      return bucket >= 63 ? Long.MAX_VALUE : 1L << bucket;
    }

    /**
     * An upper bound of the {@code fraction} quantile (0 &lt; fraction &le; 1): the upper bound of
     * the bucket it falls in, capped by the maximum; 0 when nothing was recorded.
     */
    public long quantileUpperBoundNanos(double fraction) {
      long total = count();
      if (total == 0) {
        return 0;
      }
      long rank = (long) Math.ceil(fraction * total);
      long seen = 0;
      for (int b = 0; b < buckets.length; b++) {
        seen += buckets[b];
        if (seen >= rank) {
          return Math.min(bucketUpperBoundNanos(b), Math.max(maxNanos, 1));
        }
      }
      return maxNanos;
    }

    @Override
    public boolean equals(Object other) {
      return other instanceof LatencyHistogram h
          && h.maxNanos == maxNanos
          && Arrays.equals(h.buckets, buckets);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(buckets) * 31 + Long.hashCode(maxNanos);
    }

    @Override
    public String toString() {
      return "LatencyHistogram[count=" + count() + ", p50<=" + quantileUpperBoundNanos(0.5)
          + "ns, p99<=" + quantileUpperBoundNanos(0.99) + "ns, max=" + maxNanos + "ns]";
    }
  }
}
