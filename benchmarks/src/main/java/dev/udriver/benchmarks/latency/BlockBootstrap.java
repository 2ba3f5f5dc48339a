package dev.udriver.benchmarks.latency;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentiles of paired latency samples and a paired block bootstrap of their ratios.
 *
 * <p>Every path's samples come in the same blocks, taken back to back (block {@code b} of every path
 * holds samples {@code b * blockSize ..}); noise that hits one block hits its neighbours in the
 * other paths too. A resample draws block indices with replacement and applies the same draw to
 * every path, so the ratio's interval keeps that pairing.
 *
 * <p>A resample's percentile is read without copying or sorting: each path's samples are sorted
 * once, tagged with their block, and a resample walks them weighting each sample by how often its
 * block was drawn.
 */
final class BlockBootstrap {

  /** The percentiles reported and bootstrapped: p50, p99, p99.9. */
  static final double[] QUANTILES = {0.5, 0.99, 0.999};

  private static final int BLOCK_BITS = 21;
  private static final long BLOCK_MASK = (1L << BLOCK_BITS) - 1;

  private final int blocks;
  private final long[][] sortedTagged; // per path: latency << BLOCK_BITS | block, ascending
  private final long count;

  /**
   * @param samples per path, {@code blocks * blockSize} latencies in ns, block by block
   */
  BlockBootstrap(long[][] samples, int blockSize) {
    int length = samples[0].length;
    if (length == 0 || length % blockSize != 0) {
      throw new IllegalArgumentException(length + " samples are not whole blocks of " + blockSize);
    }
    blocks = length / blockSize;
    if (blocks > BLOCK_MASK) {
      throw new IllegalArgumentException(blocks + " blocks: at most " + BLOCK_MASK);
    }
    count = length;
    sortedTagged = new long[samples.length][];
    for (int path = 0; path < samples.length; path++) {
      if (samples[path].length != length) {
        throw new IllegalArgumentException("path " + path + " has " + samples[path].length
            + " samples, path 0 has " + length + ": blocks must be paired");
      }
      long[] tagged = new long[length];
      for (int i = 0; i < length; i++) {
        long latency = samples[path][i];
        if (latency < 0 || latency >= 1L << (63 - BLOCK_BITS)) {
          throw new IllegalArgumentException("path " + path + " sample " + i + ": latency "
              + latency + " ns is out of range (clock not monotonic?)");
        }
        tagged[i] = latency << BLOCK_BITS | (i / blockSize);
      }
      Arrays.sort(tagged);
      sortedTagged[path] = tagged;
    }
  }

  /** p50, p99, p99.9 and max of one path, in ns. */
  long[] percentiles(int path) {
    long[] sorted = sortedTagged[path];
    long[] result = new long[QUANTILES.length + 1];
    for (int q = 0; q < QUANTILES.length; q++) {
      result[q] = sorted[(int) rank(QUANTILES[q])] >>> BLOCK_BITS;
    }
    result[QUANTILES.length] = sorted[sorted.length - 1] >>> BLOCK_BITS;
    return result;
  }

  private long rank(double quantile) {
    return Math.min(count - 1, (long) (count * quantile));
  }

  /**
   * The 95% percentile interval of {@code percentile(numerator) / percentile(denominator)} for each
   * of {@link #QUANTILES}, over {@code resamples} paired block resamples.
   *
   * @return {@code [quantile][0 = low, 1 = high]}
   */
  double[][] ratioInterval(int numerator, int denominator, int resamples, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] weight = new int[blocks];
    long[] top = new long[QUANTILES.length];
    long[] bottom = new long[QUANTILES.length];
    double[][] ratios = new double[QUANTILES.length][resamples];
    for (int r = 0; r < resamples; r++) {
      Arrays.fill(weight, 0);
      for (int i = 0; i < blocks; i++) {
        weight[random.nextInt(blocks)]++;
      }
      weightedPercentiles(sortedTagged[numerator], weight, top);
      weightedPercentiles(sortedTagged[denominator], weight, bottom);
      for (int q = 0; q < QUANTILES.length; q++) {
        ratios[q][r] = (double) top[q] / Math.max(1, bottom[q]);
      }
    }
    double[][] interval = new double[QUANTILES.length][];
    for (int q = 0; q < QUANTILES.length; q++) {
      Arrays.sort(ratios[q]);
      interval[q] =
          new double[] {ratios[q][(int) (resamples * 0.025)], ratios[q][(int) (resamples * 0.975)]};
    }
    return interval;
  }

  /** The percentiles of the sample in which block b's samples appear weight[b] times. */
  private void weightedPercentiles(long[] sorted, int[] weight, long[] out) {
    int q = 0;
    long target = rank(QUANTILES[0]);
    long seen = 0;
    for (long tagged : sorted) {
      seen += weight[(int) (tagged & BLOCK_MASK)];
      while (seen > target) {
        out[q++] = tagged >>> BLOCK_BITS;
        if (q == QUANTILES.length) {
          return;
        }
        target = rank(QUANTILES[q]);
      }
    }
    throw new IllegalStateException("weights do not add up to " + count);
  }
}
