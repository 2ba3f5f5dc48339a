package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work() {
    moreWork();
  }

  private void moreWork() {}
}
