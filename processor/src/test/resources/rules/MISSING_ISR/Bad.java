package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr("rx") boolean onRx(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  // EXPECT: MISSING_ISR
  @OnInterruptWorkItem("tx") void work() {}
}
