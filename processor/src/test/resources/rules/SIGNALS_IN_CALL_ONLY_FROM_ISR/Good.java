package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private long ticks;

  @OnInterruptIsr boolean onTick(Interrupt interrupt) {
    count(interrupt);
    return true;
  }

  private void count(Interrupt interrupt) {
    ticks += interrupt.signalsInThisCall(); // only the ISR calls this helper
  }
}
