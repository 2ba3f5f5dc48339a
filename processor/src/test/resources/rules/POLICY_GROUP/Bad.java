package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  // EXPECT: POLICY_GROUP
  @InterruptPolicy(group = 70000)
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }
}
