package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private Interrupt interrupt;
  private int requests;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    take(interrupt); // a work item may wait for the lock
  }

  @OnInterruptEnable void on(Interrupt interrupt) { this.interrupt = interrupt; }

  @OnInterruptDisable void off(Interrupt interrupt) {}

  private void take(Interrupt interrupt) {
    try (var held = interrupt.lock()) {
      requests = 0;
    }
  }

  /** Called by the application, on any thread. */
  public boolean request() {
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
