package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private final java.util.concurrent.BlockingQueue<Integer> frames =
      new java.util.concurrent.ArrayBlockingQueue<>(16);

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    // EXPECT: ISR_NO_BLOCKING
    int frame = readFrame();
    try {
      // EXPECT: ISR_NO_BLOCKING
      frames.put(frame);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return frame != 0;
  }

  private int readFrame() {
    try {
      Thread.sleep(1); // wait for the FIFO to fill
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 1;
  }
}
