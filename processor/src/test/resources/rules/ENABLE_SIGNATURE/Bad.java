package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  // EXPECT: ENABLE_SIGNATURE
  @OnInterruptEnable void on() {}

  @OnInterruptDisable void off(Interrupt interrupt) {}
}
