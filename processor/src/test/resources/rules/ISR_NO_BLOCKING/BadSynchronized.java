package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class BadSynchronized {
  private int frames;

  // EXPECT: ISR_NO_BLOCKING
  @OnInterruptIsr synchronized boolean onRx(Interrupt interrupt) {
    frames++;
    return true;
  }

  /** Called by the application; holds the monitor the ISR waits for. */
  public synchronized int frames() {
    return frames;
  }
}
