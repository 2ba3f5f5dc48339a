package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private Interrupt interrupt;
  private int requests;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptEnable void on(Interrupt interrupt) { this.interrupt = interrupt; }

  @OnInterruptDisable void off(Interrupt interrupt) {}

  /** Called by the application, on any thread. */
  public void request() {
    // EXPECT: ARBITRARY_THREAD_USES_TRY_ACQUIRE
    try (var held = interrupt.lock()) {
      requests++;
    }
  }
}
