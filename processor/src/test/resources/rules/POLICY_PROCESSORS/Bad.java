package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  // EXPECT: POLICY_PROCESSORS
  @InterruptPolicy(policy = AffinityPolicy.ALL_CLOSE_PROCESSORS, processors = {1})
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }
}
