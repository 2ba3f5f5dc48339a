package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  // EXPECT: ENABLE_DISABLE_PAIR
  @OnInterruptEnable void on(Interrupt interrupt) {}
}
