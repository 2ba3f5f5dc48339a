package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.List;

// A lambda forEach runs during the call takes the lock and never gives it back.
class BadInPlace {
  private final List<Integer> channels = List.of(0, 4, 8);

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
    channels.forEach(ch -> interrupt.acquireInterruptLock());
  }
}
