package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A blocking acquire queues behind waiting threads, so a dispatcher that runs ISRs back to back
 * cannot starve a work item waiting for the lock; a try-acquire still returns at once.
 */
class InterruptLockFairnessTest {

  @Test
  void releasingThreadCannotRetakeTheLockAheadOfAQueuedWaiter() throws Exception {
    InterruptLock lock = new InterruptLock();
    List<String> order = new CopyOnWriteArrayList<>();
    lock.acquireForFramework();
    Thread waiter =
        Thread.ofPlatform()
            .start(
                () -> {
                  lock.acquireForFramework();
                  order.add("waiter");
                  lock.releaseForFramework();
                });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!lock.hasQueuedThreads()) {
      assertTrue(System.nanoTime() < deadline, "the waiter never queued");
      Thread.onSpinWait();
    }
    lock.releaseForFramework();
    lock.acquireForFramework(); // a barging lock would win here, before the waiter wakes
    order.add("releaser");
    lock.releaseForFramework();
    waiter.join(TimeUnit.SECONDS.toMillis(10));
    assertEquals(List.of("waiter", "releaser"), order);
  }

  @Test
  void tryAcquireTakesAFreeLockEvenWhenNobodyWaits() {
    InterruptLock lock = new InterruptLock();
    assertTrue(lock.tryAcquire());
    lock.releaseForFramework();
    assertTrue(lock.tryAcquire());
  }
}
