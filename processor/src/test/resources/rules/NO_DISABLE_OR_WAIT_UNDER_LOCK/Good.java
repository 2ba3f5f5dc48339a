package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private int errors;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    if (++errors > 10) {
      interrupt.queueWorkItemForIsr(); // the work item disables the interrupt
    }
    return errors > 0;
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    interrupt.disable();
    interrupt.enable();
  }

  @OnInterruptEnable void on(Interrupt interrupt) {}

  @OnInterruptDisable void off(Interrupt interrupt) {}
}
