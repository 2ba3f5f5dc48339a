package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private Interrupt interrupt;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptEnable void on(Interrupt interrupt) { this.interrupt = interrupt; }

  @OnInterruptDisable void off(Interrupt interrupt) {}

  /** Called by the application. */
  public void pause() {
    // EXPECT: EXPLICIT_DISABLE_ENABLE_BALANCED
    interrupt.disable();
  }
}
