package dev.udriver.runtime.internal;

import dev.udriver.runtime.InterruptStatistics.LatencyHistogram;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A histogram of durations in nanoseconds with power-of-two buckets, recorded without allocation or
 * atomic read-modify-write: bucket {@code b} counts durations {@code d} with {@code 2^(b-1) <= d <
 * 2^b} (bucket 0 counts 0). Single writer: each histogram is written by one thread at a time (the
 * dispatcher serving its interrupt, or the worker running its work item), so a recording is an
 * opaque read and an opaque write; readers on other threads see each bucket's latest value or an
 * earlier one, never a torn one.
 */
final class Log2Histogram {

  static final int BUCKETS = 64;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  /** Buckets 0..63, then the maximum at index 64. */
  private final long[] slots = new long[BUCKETS + 1];

  /** Single writer: records one duration (negative durations, from a clock step, count as 0). */
  void record(long nanos) {
    long d = Math.max(0L, nanos);
    int bucket = 64 - Long.numberOfLeadingZeros(d);
    if (bucket >= BUCKETS) {
      bucket = BUCKETS - 1;
    }
    long[] s = slots;
    SLOT.setOpaque(s, bucket, (long) SLOT.getOpaque(s, bucket) + 1);
    if (d > (long) SLOT.getOpaque(s, BUCKETS)) {
      SLOT.setOpaque(s, BUCKETS, d);
    }
  }

  long max() {
    return (long) SLOT.getOpaque(slots, BUCKETS);
  }

  /** A copy of the buckets, each read opaquely. */
  LatencyHistogram snapshot() {
    long[] copy = new long[BUCKETS];
    for (int i = 0; i < BUCKETS; i++) {
      copy[i] = (long) SLOT.getOpaque(slots, i);
    }
    return new LatencyHistogram(copy, max());
  }
}
