package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// One field of two objects names two locks: taking tx.irq while rx.irq is held is no second
// acquire of one lock.
class GoodChannels {
  static final class Channel {
    Interrupt irq;
    int head;
  }

  private final Channel rx = new Channel();
  private final Channel tx = new Channel();

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    rx.irq.acquireInterruptLock();
    try {
      tx.irq.acquireInterruptLock();
      try {
        tx.head = rx.head;
      } finally {
        tx.irq.releaseInterruptLock();
      }
    } finally {
      this.rx.irq.releaseInterruptLock();
    }
  }
}
