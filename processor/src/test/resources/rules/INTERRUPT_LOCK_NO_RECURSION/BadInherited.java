package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// A base-class helper that takes the interrupt lock, called from the ISR, which holds it.
class BadInherited extends LockingBase {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    // EXPECT: INTERRUPT_LOCK_NO_RECURSION
    withLock(interrupt, () -> count++);
    return true;
  }
}

abstract class LockingBase {
  protected int count;

  protected void withLock(Interrupt interrupt, Runnable action) {
    interrupt.acquireInterruptLock();
    try {
      action.run();
    } finally {
      interrupt.releaseInterruptLock();
    }
  }
}
