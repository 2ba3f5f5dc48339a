package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private int pending;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    // EXPECT: INTERRUPT_LOCK_NO_RECURSION
    try (var held = interrupt.lock()) {
      pending++;
    }
    // EXPECT: INTERRUPT_LOCK_NO_RECURSION
    count(interrupt);
    return pending > 0;
  }

  private void count(Interrupt interrupt) {
    interrupt.synchronize(() -> pending++);
  }

  private Interrupt irq;

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    // EXPECT: INTERRUPT_LOCK_NO_RECURSION
    pending = interrupt.synchronize(this::take);
  }

  // Runs under the interrupt lock synchronize takes.
  private int take() {
    try (var held = irq.lock()) {
      return pending;
    }
  }
}
