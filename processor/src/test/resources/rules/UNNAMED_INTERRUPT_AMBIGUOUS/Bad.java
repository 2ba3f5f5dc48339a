package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr("rx") boolean onRx(Interrupt interrupt) { return interrupt != null; }

  // EXPECT: UNNAMED_INTERRUPT_AMBIGUOUS
  @OnInterruptIsr boolean onOther(Interrupt interrupt) { return interrupt != null; }
}
