package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private final java.util.concurrent.BlockingQueue<Integer> frames =
      new java.util.concurrent.ArrayBlockingQueue<>(16);
  private int last;

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    last = readFrame();
    return last != 0 && interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void deliver() {
    try {
      frames.put(last); // the work item may block
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private int readFrame() {
    return 1;
  }
}
