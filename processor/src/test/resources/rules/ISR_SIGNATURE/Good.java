package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  @OnInterruptIsr boolean onIrq(Interrupt interrupt, int messageId) { return messageId == 0; }
}
