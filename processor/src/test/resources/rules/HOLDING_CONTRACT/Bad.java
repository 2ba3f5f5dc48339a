package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private int pending;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    bump();
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    // EXPECT: HOLDING_CONTRACT
    bump();
  }

  @HoldsInterruptLock
  private void bump() {
    pending++;
  }
}
