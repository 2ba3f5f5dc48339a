package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private int status;

  // EXPECT: ISR_RETURN_CONTRACT
  @OnInterruptIsr(value = "shared", shareVector = ShareVector.TRUE)
  boolean onShared(Interrupt interrupt) {
    status = 0;
    return true;
  }

  // EXPECT: ISR_RETURN_CONTRACT
  @OnInterruptIsr("deaf") boolean onDeaf(Interrupt interrupt) {
    status = 1;
    return false;
  }
}
