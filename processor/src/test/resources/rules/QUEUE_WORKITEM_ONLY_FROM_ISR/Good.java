package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    defer(interrupt);
    return true;
  }

  @OnInterruptWorkItem void work() {}

  private void defer(Interrupt interrupt) {
    interrupt.queueWorkItemForIsr(); // only the ISR calls this helper
  }
}
