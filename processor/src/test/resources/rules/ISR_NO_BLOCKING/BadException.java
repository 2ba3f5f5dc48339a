package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class BadException {
  private final StringBuffer log = new StringBuffer();

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    try {
      return decode(interrupt);
    } catch (IllegalStateException e) {
      // A StringBuffer is shared with the application, which may hold its monitor.
      // EXPECT: ISR_NO_BLOCKING
      log.append(e.getMessage());
      return false;
    }
  }

  private boolean decode(Interrupt interrupt) {
    if (interrupt == null) {
      throw new IllegalStateException("no interrupt");
    }
    return true;
  }

  /** Called by the application. */
  public String log() {
    return log.toString();
  }
}
