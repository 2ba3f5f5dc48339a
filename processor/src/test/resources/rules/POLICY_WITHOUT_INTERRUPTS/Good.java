package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

@InterruptPolicy(priority = InterruptPriority.HIGH)
class Good {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }
}
