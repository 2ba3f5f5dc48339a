package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  // EXPECT: ISR_SIGNATURE
  @OnInterruptIsr void onIrq(Interrupt interrupt) {}
}
