package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptEnable
  // EXPECT: ONE_ROLE_PER_METHOD
  @OnInterruptDisable
  void onOff(Interrupt interrupt) {}
}
