package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  // EXPECT: CALLBACK_MODIFIERS
  @OnInterruptIsr static boolean onIrq(Interrupt interrupt) { return interrupt != null; }
}
