package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// A getter of the driver that returns a field cannot throw: the release through it in finally
// runs on every path.
class GoodAccessors {
  private Interrupt rx;
  private int frames;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptEnable void enable(Interrupt interrupt) {
    rx = interrupt;
  }

  @OnInterruptDisable void disable(Interrupt interrupt) {
    frames = 0;
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    rx().acquireInterruptLock();
    try {
      frames++;
    } finally {
      rx().releaseInterruptLock();
    }
  }

  private Interrupt rx() {
    return rx;
  }
}
