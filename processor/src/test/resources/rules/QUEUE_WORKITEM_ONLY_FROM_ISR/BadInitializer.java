package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// A lambda in a field initializer runs whenever, and on whichever thread, it is called.
class BadInitializer {
  private Interrupt irq;

  // EXPECT: QUEUE_WORKITEM_ONLY_FROM_ISR
  private final Runnable kick = () -> irq.queueWorkItemForIsr();

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    irq = interrupt;
  }
}
