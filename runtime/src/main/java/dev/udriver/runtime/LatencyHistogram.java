package dev.udriver.runtime;

import java.util.Arrays;

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
