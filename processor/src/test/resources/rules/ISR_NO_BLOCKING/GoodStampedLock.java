package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.concurrent.locks.StampedLock;

class GoodStampedLock {
  private final StampedLock stats = new StampedLock();
  private int count;

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    // The try and optimistic forms return at once instead of waiting.
    long stamp = stats.tryWriteLock();
    if (stamp == 0) {
      return false;
    }
    count++;
    stats.unlockWrite(stamp);
    long seen = stats.tryOptimisticRead();
    int copy = count;
    return stats.validate(seen) && copy > 0 && interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void report() {
    long stamp = stats.readLock(); // the work item may wait
    try {
      System.out.println(count);
    } finally {
      stats.unlockRead(stamp);
    }
  }
}
