package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// A helper called on another instance of the driver takes that instance's interrupt lock, not the
// one held here: no recursion, whether it is called or given to synchronize.
class GoodPeer {
  private Interrupt irq;
  private GoodPeer peer;
  private int pending;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    pending = interrupt.synchronize(peer::take);
    try (var held = interrupt.lock()) {
      pending += peer.take();
    }
  }

  private int take() {
    try (var held = irq.lock()) {
      return pending;
    }
  }
}
