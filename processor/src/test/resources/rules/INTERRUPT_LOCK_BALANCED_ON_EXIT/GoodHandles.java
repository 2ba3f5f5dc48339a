package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// A handle declared before the statement and named in try (held) (Java 9) is closed on every
// path like one declared in it.
class GoodHandles {
  private int value;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    Interrupt.HeldLock held = interrupt.lock();
    try (held) {
      value++;
    }
  }
}
