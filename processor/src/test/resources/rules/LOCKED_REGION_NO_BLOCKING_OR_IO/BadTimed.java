package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;

class BadTimed {
  private final BlockingQueue<Integer> frames = new ArrayBlockingQueue<>(16);
  private final ReentrantLock fifo = new ReentrantLock();
  private final StampedLock stats = new StampedLock();
  private int count;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    try (var held = interrupt.lock()) {
      // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
      Integer frame = frames.poll(1, TimeUnit.MILLISECONDS);
      // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
      long stamp = stats.writeLock();
      count += frame == null ? 0 : frame;
      stats.unlockWrite(stamp);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @OnInterruptEnable void on(Interrupt interrupt) throws InterruptedException {
    // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
    TimeUnit.MILLISECONDS.sleep(10); // let the device settle
  }

  @OnInterruptDisable void off(Interrupt interrupt) throws InterruptedException {
    // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
    if (fifo.tryLock(1, TimeUnit.MILLISECONDS)) {
      fifo.unlock();
    }
  }
}
