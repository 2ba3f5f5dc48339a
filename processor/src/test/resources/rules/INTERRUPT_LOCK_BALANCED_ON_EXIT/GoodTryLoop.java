package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// The try's result assigned inside a loop condition: the loop ends holding the lock exactly when
// `locked` is true.
class GoodTryLoop {
  private Interrupt irq;
  private int requests;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return requests > 0;
  }

  @OnInterruptEnable void enable(Interrupt interrupt) {
    irq = interrupt;
  }

  @OnInterruptDisable void disable(Interrupt interrupt) {
    requests = 0;
  }

  public boolean requestWithDeadline(long nanos) {
    long deadline = System.nanoTime() + nanos;
    boolean locked;
    while (!(locked = irq.tryToAcquireInterruptLock()) && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    if (!locked) {
      return false;
    }
    try {
      requests++;
    } finally {
      irq.releaseInterruptLock();
    }
    return true;
  }
}
