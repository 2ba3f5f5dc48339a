package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// The device reached through interrupt.getDevice() on both sides: the getter cannot throw, so the
// release in finally runs on every path.
class GoodAccessors {
  private int settings;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    interrupt.getDevice().acquireLock();
    try {
      settings++;
    } finally {
      interrupt.getDevice().releaseLock();
    }
  }
}
