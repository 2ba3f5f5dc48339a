package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// Queue, then claim: the result says whether the device raised the interrupt. On a line of its own
// no other device's ISR depends on the result, and returning the queue's result is not reported.
class GoodQueueResult {
  private int status;

  @OnInterruptIsr(value = "shared", shareVector = ShareVector.TRUE)
  boolean onShared(Interrupt interrupt) {
    if (status == 0) {
      return false;
    }
    status = 0;
    interrupt.queueWorkItemForIsr();
    return true;
  }

  @OnInterruptWorkItem("shared") void drain(Interrupt interrupt) {
    status = 0;
  }

  @OnInterruptIsr("own") boolean onOwn(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("own") void drainOwn(Interrupt interrupt) {
    status = 0;
  }
}
