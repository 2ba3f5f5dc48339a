package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// EXPECT: POLICY_WITHOUT_INTERRUPTS
@InterruptPolicy(priority = InterruptPriority.HIGH)
class Bad {
  void helper() {}
}
