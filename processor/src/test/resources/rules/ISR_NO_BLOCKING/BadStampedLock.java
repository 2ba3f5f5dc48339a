package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.StampedLock;

class BadStampedLock {
  private final StampedLock stats = new StampedLock();
  private int count;

  @OnInterruptIsr("rx") boolean onRx(Interrupt interrupt) {
    // EXPECT: ISR_NO_BLOCKING
    long stamp = stats.writeLock();
    count++;
    stats.unlockWrite(stamp);
    // EXPECT: ISR_NO_BLOCKING
    stamp = stats.readLock();
    int copy = count;
    stats.unlockRead(stamp);
    // EXPECT: ISR_NO_BLOCKING
    return copy > 0 && waitForStats();
  }

  private boolean waitForStats() {
    try {
      long stamp = stats.writeLockInterruptibly();
      stats.unlockWrite(stamp);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @OnInterruptIsr("status") boolean onStatus(Interrupt interrupt) {
    try {
      // EXPECT: ISR_NO_BLOCKING
      long stamp = stats.readLockInterruptibly();
      stats.unlockRead(stamp);
      // EXPECT: ISR_NO_BLOCKING
      stamp = stats.tryWriteLock(1, TimeUnit.MILLISECONDS);
      stats.unlockWrite(stamp);
      // EXPECT: ISR_NO_BLOCKING
      stamp = stats.tryReadLock(1, TimeUnit.MILLISECONDS);
      stats.unlockRead(stamp);
      return stamp != 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
