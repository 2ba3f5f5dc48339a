package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private Interrupt interrupt;
  private int requests;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptEnable void on(Interrupt interrupt) { this.interrupt = interrupt; }

  @OnInterruptDisable void off(Interrupt interrupt) {}

  /** Called by the application. */
  public boolean request() {
    boolean locked = interrupt.tryToAcquireInterruptLock();
    if (locked) {
      requests++;
      interrupt.releaseInterruptLock();
    }
    return locked;
  }

  /** Called by the application. */
  public boolean poke() {
    if (!interrupt.tryToAcquireInterruptLock()) {
      return false;
    }
    try {
      requests++;
    } finally {
      interrupt.releaseInterruptLock();
    }
    return true;
  }
}
