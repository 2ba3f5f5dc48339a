package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Bounded waits for the tests of this package; a correct runtime needs milliseconds. */
final class Await {

  private static final long TIMEOUT_SECONDS = 10;

  private Await() {}

  /** Waits until {@code condition} holds, failing after the timeout. */
  static void until(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      LockSupport.parkNanos(100_000);
    }
  }

  /** Waits for {@code latch}, failing after the timeout. */
  static void latch(CountDownLatch latch) {
    assertTrue(quietly(latch), "timed out on a latch");
  }

  /** Waits for {@code latch} inside a callback, where a failed assertion must not escape: false on timeout. */
  static boolean quietly(CountDownLatch latch) {
    try {
      return latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
