package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private final java.util.List<Integer> samples = new java.util.ArrayList<>();

  @OnInterruptIsr("main") boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("main") void drain(Interrupt interrupt) {
    // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
    interrupt.acquireInterruptLock();
    samples.clear(); // may throw: the lock would stay held
    interrupt.releaseInterruptLock();
  }

  @OnInterruptWorkItem("other") void early(Interrupt interrupt) {
    // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
    interrupt.acquireInterruptLock();
    if (samples.isEmpty()) {
      return;
    }
    interrupt.releaseInterruptLock();
  }

  @OnInterruptIsr("other") boolean onOther(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }
}
