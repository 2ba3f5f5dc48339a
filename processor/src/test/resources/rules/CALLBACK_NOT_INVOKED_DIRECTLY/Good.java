package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private Interrupt interrupt;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptEnable void on(Interrupt interrupt) { this.interrupt = interrupt; }

  @OnInterruptDisable void off(Interrupt interrupt) {}

  /** Called by the application to restart the device: the framework runs the callbacks. */
  public void restart() {
    interrupt.disable();
    interrupt.enable();
  }
}
