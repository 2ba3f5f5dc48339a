package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// An @IsrSafe method that is synchronized enters a monitor its callers in the ISR do not see.
class BadSynchronized {
  private int count;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    bump();
    return true;
  }

  @IsrSafe
  // EXPECT: ISR_SAFE_CONTRACT
  private synchronized void bump() {
    count++;
  }

  public synchronized int count() {
    return count;
  }
}
