package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  @OnInterruptIsr("rx") boolean onRx(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem("rx") void work() {}
}
