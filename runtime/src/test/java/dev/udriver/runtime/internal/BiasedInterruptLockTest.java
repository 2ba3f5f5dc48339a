package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The lock biased to the thread that runs ISRs: that thread takes it with no locked instruction,
 * others with the lock word and a membarrier. Mutual exclusion is counted with a plain counter
 * (a lost update shows an overlap the atomic {@code inside} check might miss) while the bias owner
 * and other threads, blocking and trying, take the lock back to back.
 */
class BiasedInterruptLockTest {

  @Test
  void membarrierIsAvailableOnLinuxAndTheLockSaysWhichPathItUses() {
    String implementation = InterruptLock.implementation();
    if (System.getProperty("os.name", "").toLowerCase().contains("linux")) {
      assertTrue(Membarrier.isAvailable(), Membarrier.unavailabilityReason());
      assertTrue(implementation.startsWith("biased"), implementation);
    } else {
      assertTrue(implementation.startsWith("compare-and-set"), implementation);
    }
  }

  @Test
  void theFirstIsrThreadTakesTheBiasAndItsRepeatedAcquiresStayBiased() {
    assumeTrue(Membarrier.isAvailable(), "membarrier: " + Membarrier.unavailabilityReason());
    InterruptLock lock = new InterruptLock();
    lock.acquireForFramework(); // a lifecycle acquire does not take the bias
    lock.releaseForFramework();
    assertFalse(lock.isBiasedTo(Thread.currentThread()));
    lock.acquireForIsr();
    assertTrue(lock.isHeldByCurrentThread());
    lock.releaseForFramework();
    assertTrue(lock.isBiasedTo(Thread.currentThread()));
    for (int i = 0; i < 1000; i++) {
      lock.acquireForIsr();
      assertTrue(lock.isHeldByCurrentThread());
      assertTrue(lock.releaseIfHeldByCurrentThread());
      assertFalse(lock.isHeldByCurrentThread());
    }
    assertFalse(lock.releaseIfHeldByCurrentThread(), "released twice");
    assertTrue(lock.isBiasedTo(Thread.currentThread()));
  }

  @Test
  void anotherThreadWaitsWhileTheBiasOwnerHoldsTheLockAndTryAcquireReturnsAtOnce()
      throws Exception {
    assumeTrue(Membarrier.isAvailable(), "membarrier: " + Membarrier.unavailabilityReason());
    InterruptLock lock = new InterruptLock(0);
    lock.acquireForIsr();
    lock.releaseForFramework();
    lock.acquireForIsr(); // biased now: held through the flag, the word stays free
    assertTrue(lock.isBiasedTo(Thread.currentThread()));
    boolean[] tried = {true};
    Thread trier = Thread.ofPlatform().start(() -> tried[0] = lock.tryAcquire());
    trier.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(trier.isAlive(), "tryAcquire blocked");
    assertFalse(tried[0], "tryAcquire took a lock the bias owner holds");
    List<String> order = new CopyOnWriteArrayList<>();
    Thread waiter = recordingWaiter(lock, order);
    Thread.sleep(50); // the waiter took the word and waits for the owner's flag
    order.add("owner");
    lock.releaseForFramework();
    waiter.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(waiter.isAlive(), "the waiter was not woken when the bias owner released");
    assertEquals(List.of("owner", "waiter"), order);
    assertTrue(lock.tryAcquire(), "the bias owner's try takes the free lock");
    assertFalse(lock.tryAcquire(), "not recursive");
    lock.releaseForFramework();
  }

  @Test
  void theBiasOwnerQueuesBehindAWaiterInsteadOfBargingAhead() throws Exception {
    assumeTrue(Membarrier.isAvailable(), "membarrier: " + Membarrier.unavailabilityReason());
    InterruptLock lock = new InterruptLock(0);
    lock.acquireForIsr();
    lock.releaseForFramework();
    lock.acquireForIsr();
    List<String> order = new CopyOnWriteArrayList<>();
    Thread waiter = recordingWaiter(lock, order);
    Thread.sleep(50);
    lock.releaseForFramework();
    lock.acquireForIsr(); // sees the waiter's word (or its queue entry): steps back, waits its turn
    order.add("owner");
    lock.releaseForFramework();
    waiter.join(TimeUnit.SECONDS.toMillis(10));
    assertEquals(List.of("waiter", "owner"), order);
  }

  @Test
  void biasOwnerAndOtherThreadsExcludeEachOtherUnderStress() throws Exception {
    assumeTrue(Membarrier.isAvailable(), "membarrier: " + Membarrier.unavailabilityReason());
    InterruptLock lock = new InterruptLock(0); // keep the bias however often others come
    int others = 3;
    int otherRounds = 5_000;
    long[] ownerRounds = {0};
    CriticalSection section = new CriticalSection();
    CountDownLatch biased = new CountDownLatch(1);
    CountDownLatch othersDone = new CountDownLatch(others);
    List<Thread> threads = new ArrayList<>();
    threads.add(
        Thread.ofPlatform()
            .name("bias-owner")
            .start(
                () -> {
                  lock.acquireForIsr();
                  lock.releaseForFramework();
                  biased.countDown();
                  // As a dispatcher: back to back for as long as the others compete.
                  while (othersDone.getCount() > 0) {
                    lock.acquireForIsr();
                    section.enterHeld();
                    lock.releaseForFramework();
                    ownerRounds[0]++;
                  }
                }));
    for (int t = 0; t < others; t++) {
      boolean trying = t == 0;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      biased.await();
                    } catch (InterruptedException e) {
                      return;
                    }
                    section.compete(lock, otherRounds, trying);
                    othersDone.countDown();
                  }));
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(120));
      assertFalse(thread.isAlive(), thread.getName() + " never got the lock: lost wake-up");
    }
    assertEquals(0, section.overlaps.get());
    assertEquals(
        ownerRounds[0] + 2L * otherRounds + section.trySuccesses.get(), section.plainCounter);
    assertTrue(ownerRounds[0] > otherRounds, "the owner competed: " + ownerRounds[0] + " rounds");
    assertTrue(lock.isBiasedTo(threads.get(0)), "the bias was kept");
    assertFalse(lock.hasQueuedThreads());
    assertTrue(lock.tryAcquire(), "the lock is free at the end");
  }

  @Test
  void frequentAcquiresByOtherThreadsRevokeTheBiasForGood() throws Exception {
    assumeTrue(Membarrier.isAvailable(), "membarrier: " + Membarrier.unavailabilityReason());
    InterruptLock lock = new InterruptLock();
    Thread owner =
        Thread.ofPlatform()
            .start(
                () -> {
                  lock.acquireForIsr();
                  lock.releaseForFramework();
                });
    owner.join();
    // The owner terminated: the next ISR thread may take the bias over.
    lock.acquireForIsr();
    lock.releaseForFramework();
    assertTrue(lock.isBiasedTo(Thread.currentThread()));
    // A long biased past: more biased acquires than two windows of barriers would need.
    for (int i = 0; i < 4 * InterruptLock.REVOKE_AFTER_BARRIERS * InterruptLock.BIAS_ACQUIRES_PER_BARRIER; i++) {
      lock.acquireForIsr();
      lock.releaseForFramework();
    }
    Thread other =
        Thread.ofPlatform()
            .start(
                () -> {
                  for (int i = 0; i < 2 * InterruptLock.REVOKE_AFTER_BARRIERS; i++) {
                    lock.acquireForFramework();
                    lock.releaseForFramework();
                  }
                });
    other.join(TimeUnit.SECONDS.toMillis(10));
    assertFalse(other.isAlive());
    assertFalse(lock.isBiasedTo(Thread.currentThread()), "the bias did not pay and was revoked");
    lock.acquireForIsr();
    assertTrue(lock.isHeldByCurrentThread());
    lock.releaseForFramework();
    assertFalse(lock.isBiasedTo(Thread.currentThread()), "a revoked bias is not taken again");
  }

  /** A thread that takes {@code lock} as the framework does, records "waiter" and releases. */
  private static Thread recordingWaiter(InterruptLock lock, List<String> order) {
    return Thread.ofPlatform()
        .start(
            () -> {
              lock.acquireForFramework();
              order.add("waiter");
              lock.releaseForFramework();
            });
  }
}
