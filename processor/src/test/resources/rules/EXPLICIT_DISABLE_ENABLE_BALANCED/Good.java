package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private Interrupt interrupt;
  private int resets;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptEnable void on(Interrupt interrupt) { this.interrupt = interrupt; }

  @OnInterruptDisable void off(Interrupt interrupt) {}

  /** Called by the application. */
  public void reset() {
    interrupt.disable();
    try {
      resets++;
    } finally {
      interrupt.enable();
    }
  }
}
