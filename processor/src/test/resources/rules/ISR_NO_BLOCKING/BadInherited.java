package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// Helpers inherited from a base class or an interface in the same build are followed from the ISR.
class BadInherited extends PciBase implements Settling {
  private int status;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    // EXPECT: ISR_NO_BLOCKING
    pulseReset();
    // EXPECT: ISR_NO_BLOCKING
    settle();
    return status != 0;
  }
}

abstract class PciBase {
  protected void pulseReset() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

interface Settling {
  default void settle() {
    try {
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
