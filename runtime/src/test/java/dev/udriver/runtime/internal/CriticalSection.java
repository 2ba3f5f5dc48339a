package dev.udriver.runtime.internal;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The critical section of the lock stress tests: counts overlaps (two threads inside at once) and
 * increments a plain counter that loses updates unless the lock excludes.
 */
final class CriticalSection {

  private final AtomicInteger inside = new AtomicInteger();
  final AtomicInteger overlaps = new AtomicInteger();
  final AtomicInteger trySuccesses = new AtomicInteger();
  long plainCounter; // guarded by the lock under test; read after joining the threads

  /** One pass through the section; the caller holds the lock. */
  void enterHeld() {
    if (inside.incrementAndGet() != 1) {
      overlaps.incrementAndGet();
    }
    plainCounter++;
    inside.decrementAndGet();
  }

  /**
   * {@code rounds} turns of acquire, pass, release: blocking acquires, or try-acquires whose
   * failures are skipped (counted in {@link #trySuccesses} when they succeed).
   */
  void compete(InterruptLock lock, int rounds, boolean trying) {
    for (int i = 0; i < rounds; i++) {
      if (trying) {
        if (!lock.tryAcquire()) {
          continue;
        }
        trySuccesses.incrementAndGet();
      } else {
        lock.acquireForFramework();
      }
      enterHeld();
      lock.releaseForFramework();
    }
  }
}
