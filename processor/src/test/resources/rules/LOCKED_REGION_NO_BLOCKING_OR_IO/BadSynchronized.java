package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class BadSynchronized {
  private int pending;
  private boolean enabled;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    try (var held = interrupt.lock()) {
      // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
      bump();
    }
  }

  // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
  @OnInterruptEnable synchronized void on(Interrupt interrupt) {
    enabled = true;
  }

  // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
  @OnInterruptDisable synchronized void off(Interrupt interrupt) {
    enabled = false;
  }

  // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
  @HoldsInterruptLock private synchronized void bump() {
    pending++;
  }

  /** Called by the application; holds the monitor the callbacks wait for. */
  public synchronized boolean enabled() {
    return enabled;
  }
}
