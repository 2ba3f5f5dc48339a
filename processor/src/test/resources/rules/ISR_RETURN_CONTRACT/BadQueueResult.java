package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// On a shared line, queueWorkItemForIsr()'s result is false while the work item is still queued:
// returned, it calls this device's coalesced interrupt another device's.
class BadQueueResult {
  private int status;

  @OnInterruptIsr(value = "shared", shareVector = ShareVector.TRUE)
  boolean onShared(Interrupt interrupt) {
    if (status == 0) {
      return false;
    }
    status = 0;
    // EXPECT: ISR_RETURN_CONTRACT
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("shared") void drain(Interrupt interrupt) {
    status = 0;
  }
}
