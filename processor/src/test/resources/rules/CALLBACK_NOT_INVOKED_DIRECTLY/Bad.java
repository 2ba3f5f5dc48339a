package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private Interrupt interrupt;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptEnable void on(Interrupt interrupt) { this.interrupt = interrupt; }

  @OnInterruptDisable void off(Interrupt interrupt) {}

  /** Called by the application to restart the device. */
  public void restart() {
    // EXPECT: CALLBACK_NOT_INVOKED_DIRECTLY
    off(interrupt);
    // EXPECT: CALLBACK_NOT_INVOKED_DIRECTLY
    on(interrupt);
  }
}
