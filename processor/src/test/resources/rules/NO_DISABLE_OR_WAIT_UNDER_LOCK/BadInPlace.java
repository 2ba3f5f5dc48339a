package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.List;

// A method reference forEach calls in the ISR is a call made in the ISR.
class BadInPlace {
  private final List<Interrupt> siblings = new java.util.ArrayList<>();

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    // EXPECT: NO_DISABLE_OR_WAIT_UNDER_LOCK
    siblings.forEach(Interrupt::disable);
    return true;
  }
}
