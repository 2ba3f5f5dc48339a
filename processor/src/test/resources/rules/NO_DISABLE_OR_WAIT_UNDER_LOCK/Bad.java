package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private int errors;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    if (++errors > 10) {
      // EXPECT: NO_DISABLE_OR_WAIT_UNDER_LOCK
      interrupt.disable();
    }
    return errors > 0;
  }

  @OnInterruptEnable void on(Interrupt interrupt) {}

  @OnInterruptDisable void off(Interrupt interrupt) {}
}
