package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// Private helpers that every caller calls with the lock held run locked themselves: the ISR's
// helper, the method synchronize runs, and a helper called inside a locked region.
class GoodLockedHelpers {
  private Interrupt rx;
  private int pending;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    handleRx();
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    pending += interrupt.synchronize(this::bumpAndGet);
    try (var held = interrupt.lock()) {
      drainLocked();
    }
  }

  private void handleRx() {
    bump();
  }

  private int bumpAndGet() {
    bump();
    return pending;
  }

  private void drainLocked() {
    bump();
  }

  @HoldsInterruptLock
  private void bump() {
    pending++;
  }
}
