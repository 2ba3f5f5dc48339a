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
