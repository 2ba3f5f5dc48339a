package dev.udriver.runtime.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether more threads are runnable than there are processors: then a spinning waiter only takes
 * the processor from the thread it waits for, and should park at once.
 *
 * <p>Linux: the fourth field of {@code /proc/loadavg}, {@code running/total}, which the kernel
 * computes when the file is read (the sum of the run queues now, the reading thread included). The
 * file is read with a positional read into a buffer allocated once, at most every {@link
 * #SAMPLE_NANOS}; between samples the last answer stands. Elsewhere, or when the file cannot be
 * read, the probe always answers false and the caller relies on its other signals.
 *
 * <p>One instance per thread (not thread-safe): each service thread has its own.
 */
final class RunQueueProbe {

  /** How long one answer is reused: a read costs a few microseconds, a wait can be far shorter. */
  static final long SAMPLE_NANOS = 1_000_000;

  private static final Path LOADAVG = Path.of("/proc/loadavg");

  private final int processors;
  private FileChannel channel; // null until opened; closed when it fails
  private boolean unavailable;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(128);
  private long sampledAt;
  private boolean oversubscribed;
  private boolean sampled;

  RunQueueProbe() {
    this(Runtime.getRuntime().availableProcessors());
  }

  RunQueueProbe(int processors) {
    this.processors = processors;
  }

  /** Whether runnable threads exceeded the processors at the last sample (taken now if stale). */
  boolean oversubscribed(long now) {
    if (unavailable) {
      return false;
    }
    if (!sampled || now - sampledAt >= SAMPLE_NANOS) {
      sampled = true;
      sampledAt = now;
      int running = runnable();
      oversubscribed = running > processors;
    }
    return oversubscribed;
  }

  /** Runnable threads system-wide, the caller included; -1 when unknown. */
  int runnable() {
    try {
      if (channel == null) {
        channel = FileChannel.open(LOADAVG, StandardOpenOption.READ);
      }
      buffer.clear();
      int read = channel.read(buffer, 0);
      return read <= 0 ? -1 : parseRunning(buffer, read);
    } catch (IOException | RuntimeException e) {
      unavailable = true; // not Linux, or /proc not mounted: never asked again
      closeQuietly();
      return -1;
    }
  }

  /** The number before the '/' of the fourth whitespace-separated field; -1 if malformed. */
  static int parseRunning(ByteBuffer text, int length) {
    int field = 0;
    int i = 0;
    while (i < length && field < 3) {
      if (text.get(i) == ' ') {
        field++;
      }
      i++;
    }
    int value = 0;
    boolean digits = false;
    for (; i < length; i++) {
      byte b = text.get(i);
      if (b >= '0' && b <= '9') {
        value = value * 10 + (b - '0');
        digits = true;
      } else {
        return b == '/' && digits ? value : -1;
      }
    }
    return -1;
  }

  void close() {
    closeQuietly();
  }

  private void closeQuietly() {
    FileChannel c = channel;
    channel = null;
    if (c != null) {
      try {
        c.close();
      } catch (IOException ignored) {
        // nothing to do
      }
    }
  }
}
