package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private Interrupt interrupt;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptWorkItem void work() {}

  @OnInterruptEnable void on(Interrupt interrupt) { this.interrupt = interrupt; }

  @OnInterruptDisable void off(Interrupt interrupt) {}

  /** Called by the application. */
  public void kick() {
    // EXPECT: QUEUE_WORKITEM_ONLY_FROM_ISR
    interrupt.queueWorkItemForIsr();
  }
}
