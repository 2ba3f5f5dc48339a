package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }

  // EXPECT: POLICY_ON_NON_ISR
  @InterruptPolicy(priority = InterruptPriority.HIGH)
  @OnInterruptWorkItem void work() {}
}
