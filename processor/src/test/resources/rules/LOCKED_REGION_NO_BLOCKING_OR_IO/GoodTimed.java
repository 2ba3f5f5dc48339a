package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

class GoodTimed {
  private final BlockingQueue<Integer> frames = new ArrayBlockingQueue<>(16);
  private final ReentrantLock fifo = new ReentrantLock();
  private int count;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    Integer frame;
    try {
      frame = frames.poll(1, TimeUnit.MILLISECONDS); // wait before taking the lock
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try (var held = interrupt.lock()) {
      count += frame == null ? 0 : frame;
    }
  }

  @OnInterruptEnable void on(Interrupt interrupt) {}

  @OnInterruptDisable void off(Interrupt interrupt) {
    // The untimed try returns at once.
    if (fifo.tryLock()) {
      fifo.unlock();
    }
  }
}
