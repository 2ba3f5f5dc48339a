package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private int count;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    interrupt.acquireInterruptLock();
    count = 0;
    // EXPECT: INTERRUPT_LOCK_STRICT_ALTERNATION
    interrupt.acquireInterruptLock();
    interrupt.releaseInterruptLock();
    // EXPECT: INTERRUPT_LOCK_STRICT_ALTERNATION
    interrupt.releaseInterruptLock();
  }
}
