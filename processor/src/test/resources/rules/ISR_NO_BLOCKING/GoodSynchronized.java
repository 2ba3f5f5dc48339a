package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class GoodSynchronized {
  private volatile int pending;
  private int frames;

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    pending++;
    return interrupt.queueWorkItemForIsr();
  }

  // The work item may wait for the monitor.
  @OnInterruptWorkItem synchronized void count() {
    frames += pending;
  }

  /** Called by the application. */
  public synchronized int frames() {
    return frames;
  }
}
