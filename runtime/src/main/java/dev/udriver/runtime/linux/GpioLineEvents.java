package dev.udriver.runtime.linux;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The edge events of one GPIO line request, as the kernel reported them ({@code struct
 * gpio_v2_line_event}): timestamp, edge, line offset, {@code seqno} across the request's lines and
 * {@code line_seqno} per line. The dispatcher reads the records from the line descriptor into this
 * ring before the ISR; the ISR (or a holder of the interrupt lock) takes them with {@link #next()}:
 *
 * <pre>{@code
 * @OnInterruptIsr
 * boolean onEdge(Interrupt interrupt) {
 *   while (events.next()) {
 *     if (events.missedBefore() > 0) lost += events.missedBefore();   // FIFO overflow
 *     record(events.offset(), events.rising(), events.timestampNanos());
 *   }
 *   return true;
 * }
 * }</pre>
 *
 * <p>Missed edges: the kernel FIFO drops the oldest event when it is full and so does this ring,
 * which leaves a gap in {@code seqno}. {@link #missedBefore()} is the gap before the current event,
 * {@link #missedEdges()} the total. No allocation: events live in parallel primitive arrays.
 *
 * <p>Threads: one producer (the dispatcher), one consumer at a time (the ISR, or code under the
 * interrupt lock); indices are published with release/acquire.
 */
public final class GpioLineEvents {

  /** {@code GPIO_V2_LINE_EVENT_RISING_EDGE}. */
  public static final int RISING_EDGE = 1;

  /** {@code GPIO_V2_LINE_EVENT_FALLING_EDGE}. */
  public static final int FALLING_EDGE = 2;

  private static final VarHandle HEAD;
  private static final VarHandle TAIL;
  private static final VarHandle MISSED;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      HEAD = lookup.findVarHandle(GpioLineEvents.class, "head", long.class);
      TAIL = lookup.findVarHandle(GpioLineEvents.class, "tail", long.class);
      MISSED = lookup.findVarHandle(GpioLineEvents.class, "missedTotal", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int mask;
  private final long[] timestamps;
  private final int[] ids;
  private final int[] offsets;
  private final int[] seqnos;
  private final int[] lineSeqnos;
  private final long[] gaps;

  @SuppressWarnings("unused") // through TAIL: next slot the producer writes
  private volatile long tail;

  @SuppressWarnings("unused") // through HEAD: next slot the consumer reads
  private volatile long head;

  @SuppressWarnings("unused") // through MISSED
  private volatile long missedTotal;

  // Producer only.
  private long lastSeqno;
  private volatile long received;

  // Consumer only: the event last taken by next().
  private int current = -1;

  GpioLineEvents(int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
    }
    mask = capacity - 1;
    timestamps = new long[capacity];
    ids = new int[capacity];
    offsets = new int[capacity];
    seqnos = new int[capacity];
    lineSeqnos = new int[capacity];
    gaps = new long[capacity];
  }

  // ------------------------------------------------------------------ producer

  /** A new line request: its sequence numbers start again at 1. */
  void restartSequence() {
    lastSeqno = 0;
  }

  /** Stores one event; false when the ring is full (the event is lost and shows as a gap). */
  boolean offer(long timestampNs, int id, int offset, int seqno, int lineSeqno) {
    received = received + 1; // single writer
    long t = (long) TAIL.getOpaque(this);
    long h = (long) HEAD.getAcquire(this);
    if (t - h > mask) {
      return false;
    }
    long seq = Integer.toUnsignedLong(seqno);
    long gap = lastSeqno == 0 || seq <= lastSeqno ? 0 : seq - lastSeqno - 1;
    if (lastSeqno == 0 && seq > 1) {
      gap = seq - 1; // the oldest events of this request were dropped before the first read
    }
    lastSeqno = seq;
    int slot = (int) (t & mask);
    timestamps[slot] = timestampNs;
    ids[slot] = id;
    offsets[slot] = offset;
    seqnos[slot] = seqno;
    lineSeqnos[slot] = lineSeqno;
    gaps[slot] = gap;
    if (gap > 0) {
      MISSED.getAndAdd(this, gap);
    }
    TAIL.setRelease(this, t + 1);
    return true;
  }

  // ------------------------------------------------------------------ consumer

  /**
   * Releases the current event and advances to the next; false when none is waiting. The current
   * event's slot stays reserved until this is called again, so its fields can be read safely.
   */
  public boolean next() {
    long h = (long) HEAD.getOpaque(this);
    if (current >= 0) {
      h++;
      HEAD.setRelease(this, h);
      current = -1;
    }
    if (h == (long) TAIL.getAcquire(this)) {
      return false;
    }
    current = (int) (h & mask);
    return true;
  }

  /** Events waiting to be taken (the current one excluded). */
  public int available() {
    long waiting = (long) TAIL.getAcquire(this) - (long) HEAD.getOpaque(this);
    return (int) (current >= 0 ? waiting - 1 : waiting);
  }

  /** Events the kernel delivered to this ring (stored or not). */
  public long received() {
    return received;
  }

  /** The kernel timestamp of the current event (CLOCK_MONOTONIC ns, as {@link System#nanoTime()}). */
  public long timestampNanos() {
    return timestamps[checkCurrent()];
  }

  /** {@link #RISING_EDGE} or {@link #FALLING_EDGE}. */
  public int edge() {
    return ids[checkCurrent()];
  }

  public boolean rising() {
    return edge() == RISING_EDGE;
  }

  /** The line offset on the chip. */
  public int offset() {
    return offsets[checkCurrent()];
  }

  /** Sequence number across all lines of the request (from 1). */
  public int seqno() {
    return seqnos[checkCurrent()];
  }

  /** Sequence number of the event on its line (from 1). */
  public int lineSeqno() {
    return lineSeqnos[checkCurrent()];
  }

  /** Edges lost just before the current event (its {@code seqno} gap). */
  public long missedBefore() {
    return gaps[checkCurrent()];
  }

  /** Edges lost since the source was created (kernel FIFO overflow, or this ring's). */
  public long missedEdges() {
    return (long) MISSED.getVolatile(this);
  }

  private int checkCurrent() {
    if (current < 0) {
      throw new IllegalStateException("no current event: call next() first");
    }
    return current;
  }
}
