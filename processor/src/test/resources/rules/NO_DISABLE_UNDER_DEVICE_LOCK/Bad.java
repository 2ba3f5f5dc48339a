package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private int errors;

  @OnInterruptIsr("tx") boolean onTx(Interrupt interrupt) {
    errors++;
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("tx") void drainTx(Interrupt interrupt) {}

  public void reset(Interrupt interrupt) {
    try (var held = interrupt.getDevice().lock()) {
      // EXPECT: NO_DISABLE_UNDER_DEVICE_LOCK
      interrupt.disable();
      errors = 0;
      interrupt.enable();
    }
  }

  @OnInterruptIsr(value = "rx", automaticSerialization = true) boolean onRx(Interrupt interrupt) {
    errors++;
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("rx") void drainRx(Interrupt interrupt) {
    if (errors > 10) {
      // EXPECT: NO_DISABLE_UNDER_DEVICE_LOCK
      restart(interrupt);
    }
  }

  private void restart(Interrupt interrupt) {
    interrupt.disable();
    errors = 0;
    interrupt.enable();
  }
}
