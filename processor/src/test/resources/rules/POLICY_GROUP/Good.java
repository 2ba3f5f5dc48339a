package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  @InterruptPolicy(group = 1)
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }
}
