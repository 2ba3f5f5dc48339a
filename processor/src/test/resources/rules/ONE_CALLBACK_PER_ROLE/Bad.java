package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work() {}

  // EXPECT: ONE_CALLBACK_PER_ROLE
  @OnInterruptWorkItem void moreWork() {}
}
