package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// A helper told by a constant argument that its caller holds the lock does not take it: the ISR's
// call passes true, so the acquire under `!lockHeld` is not on its path.
class GoodBoundParameter {
  private int pending;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    update(interrupt, true);
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
