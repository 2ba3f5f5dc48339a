package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// The same helpers on this instance, spelled with `this`: the lock held is the one they take.
class BadPeer {
  private Interrupt irq;
  private int pending;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    try (var held = interrupt.lock()) {
      // EXPECT: INTERRUPT_LOCK_NO_RECURSION
      pending += this.take();
      // EXPECT: INTERRUPT_LOCK_NO_RECURSION
      pending += BadPeer.this.take();
    }
  }

  private int take() {
    try (var held = irq.lock()) {
      return pending;
    }
  }
}
