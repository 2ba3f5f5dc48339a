package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class GoodHelper {
  private int requests;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    reset(interrupt);
  }

  // Private: it runs only where the work item calls it, which may wait for the lock.
  private void reset(Interrupt interrupt) {
    try (var held = interrupt.lock()) {
      requests = 0;
    }
  }
}
