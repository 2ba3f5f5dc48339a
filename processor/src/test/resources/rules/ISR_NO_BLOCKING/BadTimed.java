package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

class BadTimed {
  private final BlockingQueue<Integer> frames = new ArrayBlockingQueue<>(16);
  private final LinkedBlockingDeque<Integer> replies = new LinkedBlockingDeque<>(16);
  private final ReentrantLock fifo = new ReentrantLock();
  private final Object ready = new Object();
  private Thread reader;

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    try {
      // EXPECT: ISR_NO_BLOCKING
      TimeUnit.MICROSECONDS.sleep(5);
      // EXPECT: ISR_NO_BLOCKING
      TimeUnit.MILLISECONDS.timedJoin(reader, 1);
      // EXPECT: ISR_NO_BLOCKING
      TimeUnit.MILLISECONDS.timedWait(ready, 1);
      // EXPECT: ISR_NO_BLOCKING
      if (!fifo.tryLock(1, TimeUnit.MILLISECONDS)) {
        return false;
      }
      fifo.unlock();
      // EXPECT: ISR_NO_BLOCKING
      frames.offer(1, 1, TimeUnit.MILLISECONDS);
      // EXPECT: ISR_NO_BLOCKING
      Integer frame = frames.poll(1, TimeUnit.MILLISECONDS);
      // EXPECT: ISR_NO_BLOCKING
      replies.offerFirst(2, 1, TimeUnit.MILLISECONDS);
      // EXPECT: ISR_NO_BLOCKING
      replies.offerLast(3, 1, TimeUnit.MILLISECONDS);
      // EXPECT: ISR_NO_BLOCKING
      replies.pollFirst(1, TimeUnit.MILLISECONDS);
      // EXPECT: ISR_NO_BLOCKING
      replies.pollLast(1, TimeUnit.MILLISECONDS);
      return frame != null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
