package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The spin is bounded in time and adapts to how long waits last. */
class SpinThenParkWaitStrategyTest {

  @Test
  void longWaitsShrinkTheSpinToNothingAndShortOnesGrowItBack() {
    SpinThenParkWaitStrategy wait = new SpinThenParkWaitStrategy(20_000);
    wait.bind(Thread.currentThread());
    assertEquals(20_000, wait.spinBudgetNanos());
    for (int i = 0; i < 10; i++) {
      wait.await(() -> false, 200_000); // nothing comes: spin, then park until the timeout
    }
    assertEquals(0, wait.spinBudgetNanos(), "waits longer than the maximum: stop spinning");
    for (int i = 0; i < 10; i++) {
      wait.await(() -> true, 1_000_000); // work at once
    }
    assertEquals(20_000, wait.spinBudgetNanos(), "short waits: spin again, up to the maximum");
  }

  @Test
  void spinEndsByTimeNotIterations() {
    SpinThenParkWaitStrategy wait = new SpinThenParkWaitStrategy(50_000);
    wait.bind(Thread.currentThread());
    long start = System.nanoTime();
    wait.await(() -> false, 1_000); // spin 50 µs, then a 1 µs park
    long took = System.nanoTime() - start;
    assertTrue(took >= 50_000, "spun " + took + " ns");
  }

  /** Counts its calls; answers true on call {@code workOnCall} (0: never). */
  private static final class CountingWork implements java.util.function.BooleanSupplier {
    final int workOnCall;
    int calls;

    CountingWork(int workOnCall) {
      this.workOnCall = workOnCall;
    }

    @Override
    public boolean getAsBoolean() {
      return ++calls == workOnCall;
    }
  }

  @Test
  void onAnOversubscribedMachineItSpinsOnlyWhileSpinningCatchesWork() {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new RunQueueProbe(0).runnable() > 0, "no /proc/loadavg: the probe never says oversubscribed");
    // Zero processors: the probe always finds the machine oversubscribed.
    SpinThenParkWaitStrategy wait = new SpinThenParkWaitStrategy(20_000, new RunQueueProbe(0));
    // The waits below park for 0 ns: short waits, which keep the spin budget at its maximum.
    wait.bind(Thread.currentThread());
    CountingWork nothing = new CountingWork(0);
    wait.await(nothing, 0);
    assertEquals(
        SpinThenParkWaitStrategy.FREE_SPINS + 1, nothing.calls, "no evidence: parks after the clock-free spins");

    wait.await(new CountingWork(3), 0); // caught by the spin: the producer runs
    CountingWork afterCatch = new CountingWork(0);
    wait.await(afterCatch, 0);
    assertTrue(
        afterCatch.calls > SpinThenParkWaitStrategy.FREE_SPINS + SpinThenParkWaitStrategy.SPINS_PER_CLOCK_READ,
        "after a wait the spin caught, it spins its budget: " + afterCatch.calls + " looks");

    int spinningTries = 0;
    for (int i = 0; i < SpinThenParkWaitStrategy.PROBE_EVERY; i++) {
      CountingWork idle = new CountingWork(0);
      wait.await(idle, 0);
      if (idle.calls > SpinThenParkWaitStrategy.FREE_SPINS + 1) {
        spinningTries++;
      }
    }
    assertEquals(1, spinningTries, "one wait in " + SpinThenParkWaitStrategy.PROBE_EVERY + " tries spinning again");
  }

  @Test
  void wakeUnparksOnlyAParkedThread() throws Exception {
    SpinThenParkWaitStrategy wait = new SpinThenParkWaitStrategy(0);
    AtomicBoolean work = new AtomicBoolean();
    Thread waiter =
        Thread.ofPlatform()
            .start(
                () -> {
                  wait.bind(Thread.currentThread());
                  while (!work.get()) {
                    wait.await(work::get, 50_000_000L); // bounded, as the service threads' waits

                  }
                });
    work.set(true);
    wait.wake();
    waiter.join(10_000);
    assertTrue(!waiter.isAlive(), "woken");
  }
}
