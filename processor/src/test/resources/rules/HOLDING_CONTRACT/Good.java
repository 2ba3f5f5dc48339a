package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private int pending;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    bump();
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    try (var held = interrupt.lock()) {
      bump();
    }
  }

  @HoldsInterruptLock
  private void bump() {
    pending++;
  }
}
