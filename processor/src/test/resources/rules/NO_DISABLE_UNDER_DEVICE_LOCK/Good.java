package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private int errors;

  @OnInterruptIsr("tx") boolean onTx(Interrupt interrupt) {
    errors++;
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("tx") void drainTx(Interrupt interrupt) {}

  // The device lock guards the update only; disable() runs before it is taken.
  public void reset(Interrupt interrupt) {
    interrupt.disable();
    try (var held = interrupt.getDevice().lock()) {
      errors = 0;
    }
    interrupt.enable();
  }

  @OnInterruptIsr("rx") boolean onRx(Interrupt interrupt) {
    errors++;
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("rx") void drainRx(Interrupt interrupt) {
    if (errors > 10) {
      restart(interrupt);
    }
  }

  private void restart(Interrupt interrupt) {
    interrupt.disable();
    errors = 0;
    interrupt.enable();
  }
}
