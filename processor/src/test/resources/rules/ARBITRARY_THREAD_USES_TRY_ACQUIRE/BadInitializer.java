package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.function.IntConsumer;

// Code in field initializers and initializer blocks is checked like a constructor's: a lambda
// there may run on any thread.
class BadInitializer {
  private Interrupt irq;
  private int frames;

  private final IntConsumer onFrame =
      n -> {
        // EXPECT: ARBITRARY_THREAD_USES_TRY_ACQUIRE
        try (var held = irq.lock()) {
          frames += n;
        }
      };

  private final Runnable reset;

  {
    reset =
        () -> {
          // EXPECT: ARBITRARY_THREAD_USES_TRY_ACQUIRE
          irq.acquireInterruptLock();
          try {
            frames = 0;
          } finally {
            irq.releaseInterruptLock();
          }
        };
  }

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    irq = interrupt;
  }
}
