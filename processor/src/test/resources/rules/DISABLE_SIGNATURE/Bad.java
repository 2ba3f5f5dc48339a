package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptEnable void on(Interrupt interrupt) {}

  // EXPECT: DISABLE_SIGNATURE
  @OnInterruptDisable void off(Device device) {}
}
