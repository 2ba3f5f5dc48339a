package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private final java.util.List<Integer> samples = new java.util.ArrayList<>();

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    interrupt.acquireInterruptLock();
    try {
      samples.clear();
    } finally {
      interrupt.releaseInterruptLock();
    }
    try (var held = interrupt.lock()) {
      if (samples.isEmpty()) {
        return;
      }
      samples.clear();
    }
  }
}
