package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// One field of two objects names two locks: taking tx.irq while rx.irq is held is no second
// acquire of one lock; nor is taking irqs[1] while irqs[0] is held.
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
    swap();
  }

  private final Interrupt[] irqs = new Interrupt[2];

  // Two elements of an array are two locks too.
  private void swap() {
    try (var first = irqs[0].lock(); var second = irqs[1].lock()) {
      int head = rx.head;
      rx.head = tx.head;
      tx.head = head;
    }
  }
}
