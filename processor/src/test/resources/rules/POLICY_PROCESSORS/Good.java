package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  @InterruptPolicy(policy = AffinityPolicy.SPECIFIED_PROCESSORS, processors = {1})
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }
}
