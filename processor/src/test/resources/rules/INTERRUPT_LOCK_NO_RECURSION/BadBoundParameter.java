package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// The ISR passes false: the helper takes the lock the ISR already holds.
class BadBoundParameter {
  private int pending;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    // EXPECT: INTERRUPT_LOCK_NO_RECURSION
    update(interrupt, false);
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    update(interrupt, false);
  }

  private void update(Interrupt interrupt, boolean lockHeld) {
    if (!lockHeld) {
      interrupt.acquireInterruptLock();
    }
    try {
      pending++;
    } finally {
      if (!lockHeld) {
        interrupt.releaseInterruptLock();
      }
    }
  }
}
