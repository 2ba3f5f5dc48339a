package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// Closed in the block, the handle is closed again when the block ends: a second release.
class BadHandles {
  private int value;
  private int copy;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    // EXPECT: INTERRUPT_LOCK_STRICT_ALTERNATION
    try (var held = interrupt.lock()) {
      copy = value;
      held.close();
      value = 0;
    }
  }
}
