package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// EXPECT: DRIVER_TYPE_PARAMETERS
class Bad<T> {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }
}
