package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  @OnInterruptIsr("rx") boolean onRx(Interrupt interrupt) { return interrupt != null; }

  @OnInterruptIsr("status") boolean onStatus(Interrupt interrupt) { return interrupt != null; }
}
