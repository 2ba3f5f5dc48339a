package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  @InterruptPolicy(
      policy = AffinityPolicy.SPECIFIED_PROCESSORS,
      // EXPECT: POLICY_PROCESSOR_RANGE
      processors = {64})
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }
}
