package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lock under contention: mutual exclusion (a plain counter incremented under the lock by many
 * threads loses nothing, and no two threads are ever inside at once), no lost wake-up (every
 * thread finishes), try-acquire never blocks, and a thread interrupted while it waits still gets
 * the lock and keeps its interrupt status.
 */
class InterruptLockStressTest {

  private static final int THREADS = 4;
  private static final int ROUNDS = 50_000;

  private long plainCounter; // guarded by the lock under test

  @Test
  void blockingAndTryAcquiresExcludeEachOtherAndNothingIsLost() throws Exception {
    InterruptLock lock = new InterruptLock();
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    AtomicInteger trySuccesses = new AtomicInteger();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      boolean trying = t == 0; // one thread only try-acquires, as a driver's polling path would
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    for (int i = 0; i < ROUNDS; i++) {
                      if (trying) {
                        if (!lock.tryAcquire()) {
                          continue;
                        }
                        trySuccesses.incrementAndGet();
                      } else {
                        lock.acquireForFramework();
                      }
                      if (inside.incrementAndGet() != 1) {
                        overlaps.incrementAndGet();
                      }
                      plainCounter++;
                      inside.decrementAndGet();
                      lock.releaseForFramework();
                    }
                  }));
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(60));
      assertFalse(thread.isAlive(), "a thread never got the lock: lost wake-up");
    }
    assertEquals(0, overlaps.get());
    assertEquals((long) (THREADS - 1) * ROUNDS + trySuccesses.get(), plainCounter);
    assertFalse(lock.hasQueuedThreads());
    assertTrue(lock.tryAcquire(), "the lock is free at the end");
  }

  @Test
  void tryAcquireReturnsAtOnceWhileAnotherThreadHoldsTheLockAndOthersQueue() throws Exception {
    InterruptLock lock = new InterruptLock();
    lock.acquireForFramework();
    Thread waiter = Thread.ofPlatform().start(() -> {
      lock.acquireForFramework();
      lock.releaseForFramework();
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!lock.hasQueuedThreads()) {
      assertTrue(System.nanoTime() < deadline, "the waiter never queued");
      Thread.onSpinWait();
    }
    boolean[] result = {true};
    Thread trier = Thread.ofPlatform().start(() -> result[0] = lock.tryAcquire());
    trier.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(trier.isAlive(), "tryAcquire blocked");
    assertFalse(result[0]);
    lock.releaseForFramework();
    waiter.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(waiter.isAlive());
  }

  @Test
  void anInterruptedWaiterStillAcquiresAndKeepsItsInterruptStatus() throws Exception {
    InterruptLock lock = new InterruptLock();
    lock.acquireForFramework();
    boolean[] interruptedAfter = {false};
    Thread waiter =
        Thread.ofPlatform()
            .start(
                () -> {
                  lock.acquireForFramework();
                  interruptedAfter[0] = Thread.currentThread().isInterrupted();
                  lock.releaseForFramework();
                });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!lock.hasQueuedThreads()) {
      assertTrue(System.nanoTime() < deadline, "the waiter never queued");
      Thread.onSpinWait();
    }
    waiter.interrupt();
    lock.releaseForFramework();
    waiter.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(waiter.isAlive());
    assertTrue(interruptedAfter[0]);
  }
}
