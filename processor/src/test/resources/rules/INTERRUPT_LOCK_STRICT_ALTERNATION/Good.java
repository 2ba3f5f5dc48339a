package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private int count;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    interrupt.acquireInterruptLock();
    count = 0;
    interrupt.releaseInterruptLock();
    interrupt.acquireInterruptLock();
    count = 1;
    interrupt.releaseInterruptLock();
  }
}
