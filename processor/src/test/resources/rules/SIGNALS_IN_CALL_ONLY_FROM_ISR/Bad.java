package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private long ticks;

  @OnInterruptIsr boolean onTick(Interrupt interrupt) {
    interrupt.queueWorkItemForIsr();
    return true;
  }

  @OnInterruptWorkItem void count(Interrupt interrupt) {
    // EXPECT: SIGNALS_IN_CALL_ONLY_FROM_ISR
    ticks += interrupt.signalsInThisCall();
  }
}
