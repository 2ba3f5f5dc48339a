package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private Interrupt interrupt;
  private int requests;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptEnable void on(Interrupt interrupt) { this.interrupt = interrupt; }

  @OnInterruptDisable void off(Interrupt interrupt) {}

  /** Called by the application. */
  public void request() {
    boolean locked = interrupt.tryToAcquireInterruptLock();
    requests++;
    // EXPECT: TRY_ACQUIRE_RESULT_CHECKED
    interrupt.releaseInterruptLock();
  }

  /** Called by the application. */
  public void poke() {
    // EXPECT: TRY_ACQUIRE_RESULT_CHECKED
    // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
    interrupt.tryToAcquireInterruptLock();
    requests++;
  }
}
