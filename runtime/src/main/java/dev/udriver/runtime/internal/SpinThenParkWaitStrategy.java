package dev.udriver.runtime.internal;

import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Spins for a while, bounded in time, then parks: {@link dev.udriver.runtime.DispatcherGroup.IdleWait#SPIN_THEN_PARK}.
 *
 * <p>The spin budget is in nanoseconds, never in iterations: one {@link Thread#onSpinWait()} costs
 * 25 ns on one CPU and 1 ns on another. The loop stays tight: the first {@value #FREE_SPINS} spins
 * read no clock at all (work that follows the last batch back to back is caught there, without
 * paying for a clock read, which costs 50 ns on some VMs), and after them the clock is read once
 * every {@value #SPINS_PER_CLOCK_READ} spins. The budget adapts to how long waits actually last: a
 * wait that ends within {@link #maxSpinNanos} (caught by the spin, or woken from the park soon
 * after it) doubles the budget up to that maximum; a wait that lasts longer halves it, down to zero
 * (park at once). So a burst of interrupts is served by a spinning dispatcher, a quiet line costs
 * no CPU, and when waits get long because the producer cannot run, spinning stops instead of
 * stealing the time the producer needs. While the budget is zero, every {@value #PROBE_EVERY}th
 * wait spins once at the minimum again, to notice when bursts come back.
 *
 * <p>The adaptation needs several long waits to notice a CPU hog, and each of them would spin for
 * the whole budget while the thread it waits for cannot run. So the timed spin also needs evidence
 * that spinning pays: either the previous wait was caught by the spin (the producer evidently runs
 * while this thread spins), or the kernel says that no more threads are runnable than there are
 * processors ({@link RunQueueProbe}, sampled at most once a millisecond). Without either, the
 * thread parks after its clock-free spins, except every {@value #PROBE_EVERY}th such wait, which
 * spins the whole budget to find out whether spinning pays again. The run queue alone is not the
 * test: on a machine whose other processes keep it long, it sent the dispatcher to park on every
 * wait, and a hand-off that spinning serves in a few hundred nanoseconds took a park/unpark round
 * trip (2 µs or more) each time; once the spin catches work, it keeps spinning while it does.
 *
 * <p>Wake-up protocol: as {@link ParkWaitStrategy}. Only the park announces the wait ({@link
 * #waiting}); a producer unparks only a thread that announced it, so a wake during the spin costs
 * the producer one volatile read. That read hits in the producer's cache: what the service thread
 * writes on every wait (the budget and the evidence above) is in a padded object of its own
 * ({@link Adaptation}), so the line that holds {@link #waiting} changes only when the thread parks.
 * As fields beside {@link #waiting} they made every wake from another processor a cache miss, one
 * per hand-off, while the thread was spinning.
 */
public final class SpinThenParkWaitStrategy implements WaitStrategy {

  /** Default upper bound of the spin: 20 µs, within the 10–20 µs the performance notes suggest. */
  public static final long DEFAULT_MAX_SPIN_NANOS = 20_000;

  static final long MIN_SPIN_NANOS = 1_000;
  /** Spins before the first clock read. */
  static final int FREE_SPINS = 8;
  static final int SPINS_PER_CLOCK_READ = 32;
  static final int PROBE_EVERY = 64;

  /** The factory with the default maximum. */
  public static final Factory FACTORY =
      threadName -> new SpinThenParkWaitStrategy(DEFAULT_MAX_SPIN_NANOS, new RunQueueProbe());

  private final long maxSpinNanos;
  private volatile boolean waiting;
  private volatile Thread thread;
  /** What the service thread writes on every wait, away from {@link #waiting}. */
  private final Adaptation adaptation = new Adaptation();
  /** Null: spin regardless of the machine's load (tests). Service thread only. */
  private final RunQueueProbe load;

  /** Cache-line padding before {@link AdaptationFields} (HotSpot lays out superclass fields first). */
  @SuppressWarnings("unused")
  private abstract static class AdaptationPadding {
    long p1, p2, p3, p4, p5, p6, p7, p8;
  }

  /** The service thread's adaptive state; written by that thread only. */
  private abstract static class AdaptationFields extends AdaptationPadding {
    /** The current spin budget. */
    long spinNanos;
    int parksSinceProbe;
    /** The previous wait ended in the spin: spinning pays now. */
    boolean caughtBySpin;
    /** Waits parked at once because the machine was oversubscribed, since the last try. */
    int oversubscribedParks;
  }

  /** {@link AdaptationFields} with padding on both sides. */
  @SuppressWarnings("unused")
  private static final class Adaptation extends AdaptationFields {
    long q1, q2, q3, q4, q5, q6, q7, q8;
  }

  /** A strategy that does not look at the machine's load (tests). */
  public SpinThenParkWaitStrategy(long maxSpinNanos) {
    this(maxSpinNanos, null);
  }

  SpinThenParkWaitStrategy(long maxSpinNanos, RunQueueProbe load) {
    this.load = load;
    if (maxSpinNanos < 0) {
      throw new IllegalArgumentException("maxSpinNanos must not be negative: " + maxSpinNanos);
    }
    this.maxSpinNanos = maxSpinNanos;
    adaptation.spinNanos = maxSpinNanos;
  }

  @Override
  public void bind(Thread serviceThread) {
    thread = serviceThread;
  }

  /** The current spin budget (for tests and diagnostics; racy read). */
  public long spinBudgetNanos() {
    return adaptation.spinNanos;
  }

  @Override
  public void await(BooleanSupplier hasWork, long timeoutNanos) {
    Adaptation state = adaptation;
    long budget = state.spinNanos;
    if (budget == 0 && maxSpinNanos > 0 && ++state.parksSinceProbe >= PROBE_EVERY) {
      state.parksSinceProbe = 0;
      budget = Math.min(MIN_SPIN_NANOS, maxSpinNanos);
    }
    if (budget > 0) {
      for (int i = 0; i < FREE_SPINS; i++) {
        if (hasWork.getAsBoolean()) {
          state.caughtBySpin = true;
          adapt(0);
          return;
        }
        Thread.onSpinWait();
      }
    }
    long start = System.nanoTime();
    if (budget > 0
        && !state.caughtBySpin
        && load != null
        && load.oversubscribed(start)
        && ++state.oversubscribedParks < PROBE_EVERY) {
      budget = 0; // more runnable threads than processors and no sign that spinning pays
    } else {
      state.oversubscribedParks = 0; // the full budget: every PROBE_EVERY-th wait spins again
    }
    if (budget > 0 && spin(hasWork, start, budget)) {
      // Caught within the budget, which is at most maxSpinNanos: no clock read on the way to the
      // work (one costs up to 50 ns on some machines, a tenth of a spinning hand-off).
      state.caughtBySpin = true;
      adapt(0);
      return;
    }
    state.caughtBySpin = false;
    waiting = true; // volatile write, then the volatile reads in hasWork: no lost wake-up
    try {
      if (!hasWork.getAsBoolean()) {
        LockSupport.parkNanos(this, timeoutNanos);
      }
    } finally {
      waiting = false;
    }
    adapt(System.nanoTime() - start);
  }

  /** True when work arrived within {@code budget}; the clock is read every few spins only. */
  private static boolean spin(BooleanSupplier hasWork, long start, long budget) {
    int spins = 0;
    while (!hasWork.getAsBoolean()) {
      Thread.onSpinWait();
      if (++spins % SPINS_PER_CLOCK_READ == 0 && System.nanoTime() - start >= budget) {
        return false;
      }
    }
    return true;
  }

  private void adapt(long waited) {
    Adaptation state = adaptation;
    if (waited <= maxSpinNanos) {
      state.spinNanos = Math.min(maxSpinNanos, Math.max(MIN_SPIN_NANOS, state.spinNanos * 2));
    } else {
      long halved = state.spinNanos / 2;
      state.spinNanos = halved < MIN_SPIN_NANOS ? 0 : halved;
    }
  }

  @Override
  public void close() {
    if (load != null) {
      load.close();
    }
  }

  @Override
  public void wake() {
    if (waiting) { // volatile read: only a parked thread costs the producer a system call
      Thread sleeper = thread;
      if (sleeper != null) {
        LockSupport.unpark(sleeper);
      }
    }
  }
}
