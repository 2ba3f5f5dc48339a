package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptEnable
  void on(Interrupt interrupt) {}

  @OnInterruptDisable
  void off(Interrupt interrupt) {}
}
