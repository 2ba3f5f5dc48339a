package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private int status;

  @OnInterruptIsr(value = "shared", shareVector = ShareVector.TRUE)
  boolean onShared(Interrupt interrupt) {
    if (status == 0) {
      return false; // not our device
    }
    status = 0;
    return true;
  }
}
