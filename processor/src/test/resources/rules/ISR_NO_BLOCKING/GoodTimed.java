package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

class GoodTimed {
  private final BlockingQueue<Integer> frames = new ArrayBlockingQueue<>(16);
  private final LinkedBlockingDeque<Integer> replies = new LinkedBlockingDeque<>(16);
  private final ReentrantLock fifo = new ReentrantLock();
  private long deadline;

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    // The untimed try and the non-waiting queue operations return at once.
    deadline = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(5);
    if (!fifo.tryLock()) {
      return false;
    }
    try {
      frames.offer(1);
      Integer frame = frames.poll();
      replies.offerFirst(2);
      replies.pollLast();
      return frame != null && interrupt.queueWorkItemForIsr();
    } finally {
      fifo.unlock();
    }
  }

  @OnInterruptWorkItem void deliver() {
    try {
      TimeUnit.MILLISECONDS.sleep(1); // the work item may block
      frames.offer(1, 1, TimeUnit.MILLISECONDS);
      replies.pollFirst(1, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
