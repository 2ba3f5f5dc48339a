package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class GoodException {
  private Throwable failure;

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    try {
      return decode(interrupt);
    } catch (IllegalStateException e) {
      // getCause and initCause lock the exception itself, which no other thread holds.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      failure = new IllegalArgumentException("bad frame").initCause(cause);
      return false;
    }
  }

  private boolean decode(Interrupt interrupt) {
    if (interrupt == null) {
      throw new IllegalStateException("no interrupt");
    }
    return true;
  }
}
