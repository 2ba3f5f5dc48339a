package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// A helper the ISR calls, but the work item calls too without the lock: it does not always run
// locked, so its call of the @HoldsInterruptLock method is reported.
class BadLockedHelpers {
  private int pending;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    handleRx();
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    handleRx();
  }

  private void handleRx() {
    // EXPECT: HOLDING_CONTRACT
    bump();
  }

  @HoldsInterruptLock
  private void bump() {
    pending++;
  }
}
