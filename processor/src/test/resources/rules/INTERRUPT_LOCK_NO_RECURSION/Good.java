package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private int pending;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    pending++; // the framework already holds the interrupt lock here
    return pending > 0;
  }
}
