package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    // EXPECT: WORKITEM_DECLARED_IF_QUEUED
    return interrupt.queueWorkItemForIsr();
  }
}
