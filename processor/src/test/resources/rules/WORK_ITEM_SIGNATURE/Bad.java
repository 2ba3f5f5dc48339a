package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  // EXPECT: WORK_ITEM_SIGNATURE
  @OnInterruptWorkItem boolean work(Interrupt interrupt) { return true; }
}
