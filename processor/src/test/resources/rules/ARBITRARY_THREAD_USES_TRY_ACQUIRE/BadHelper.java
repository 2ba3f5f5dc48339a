package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class BadHelper {
  private int requests;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    reset(interrupt);
  }

  // Package-private: the application may call it on any thread, not only the work item.
  void reset(Interrupt interrupt) {
    // EXPECT: ARBITRARY_THREAD_USES_TRY_ACQUIRE
    try (var held = interrupt.lock()) {
      requests = 0;
    }
  }
}
