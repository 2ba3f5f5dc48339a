package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  // EXPECT: ONE_ISR_PER_INTERRUPT
  @OnInterruptIsr boolean onIrqAgain(Interrupt interrupt) { return interrupt != null; }
}
