package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// A getter that does more than return a field may throw in finally, before the release.
class BadAccessors {
  private final java.util.List<Interrupt> interrupts = new java.util.ArrayList<>();
  private int frames;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
    rx().acquireInterruptLock();
    try {
      frames++;
    } finally {
      rx().releaseInterruptLock();
    }
  }

  private Interrupt rx() {
    return interrupts.get(0);
  }
}
