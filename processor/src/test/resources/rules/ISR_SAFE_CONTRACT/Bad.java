package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return poll() != 0;
  }

  @IsrSafe
  int poll() {
    try {
      // EXPECT: ISR_SAFE_CONTRACT
      Thread.sleep(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 1;
  }
}
