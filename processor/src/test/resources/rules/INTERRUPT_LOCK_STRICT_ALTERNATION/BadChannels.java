package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// One channel's lock taken twice, and a release of a channel whose lock was not taken.
class BadChannels {
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
      // EXPECT: INTERRUPT_LOCK_STRICT_ALTERNATION
      this.rx.irq.acquireInterruptLock();
      tx.head = rx.head;
    } finally {
      rx.irq.releaseInterruptLock();
      // EXPECT: INTERRUPT_LOCK_STRICT_ALTERNATION
      tx.irq.releaseInterruptLock();
    }
    twice();
  }

  private final Interrupt[] irqs = new Interrupt[2];

  // One element of an array taken twice.
  private void twice() {
    irqs[0].acquireInterruptLock();
    try {
      // EXPECT: INTERRUPT_LOCK_STRICT_ALTERNATION
      irqs[0].acquireInterruptLock();
    } finally {
      irqs[0].releaseInterruptLock();
    }
  }
}
