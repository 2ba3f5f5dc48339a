package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class GoodSynchronized {
  private int pending;
  private volatile boolean enabled;
  private int reported;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  // The work item may wait for the monitor; it takes the interrupt lock only inside it.
  @OnInterruptWorkItem synchronized void work(Interrupt interrupt) {
    try (var held = interrupt.lock()) {
      bump();
    }
    reported = pending;
  }

  @OnInterruptEnable void on(Interrupt interrupt) {
    enabled = true;
  }

  @OnInterruptDisable void off(Interrupt interrupt) {
    enabled = false;
  }

  @HoldsInterruptLock private void bump() {
    pending++;
  }

  /** Called by the application. */
  public synchronized int reported() {
    return reported;
  }
}
