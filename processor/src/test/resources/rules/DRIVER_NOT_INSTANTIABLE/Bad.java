package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// EXPECT: DRIVER_NOT_INSTANTIABLE
abstract class Bad {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt != null; }
}
