package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private int count;

  @OnInterruptIsr("tx") boolean onTx(Interrupt interrupt) {
    count++;
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("tx") void drainTx(Interrupt interrupt, Device device) {
    device.acquireLock();
    try {
      // EXPECT: INTERRUPT_LOCK_NOT_UNDER_DEVICE_LOCK
      interrupt.synchronize(() -> count = 0);
      // EXPECT: INTERRUPT_LOCK_NOT_UNDER_DEVICE_LOCK
      clear(interrupt);
    } finally {
      device.releaseLock();
    }
    // EXPECT: INTERRUPT_LOCK_NOT_UNDER_DEVICE_LOCK
    count = device.synchronize(this::countUnderInterruptLock);
  }

  @OnInterruptIsr(value = "rx", automaticSerialization = true) boolean onRx(Interrupt interrupt) {
    count++;
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("rx") void drainRx(Interrupt interrupt) {
    // EXPECT: INTERRUPT_LOCK_NOT_UNDER_DEVICE_LOCK
    interrupt.acquireInterruptLock();
    count = 0;
    interrupt.releaseInterruptLock();
  }

  private void clear(Interrupt interrupt) {
    try (var held = interrupt.lock()) {
      count = 0;
    }
  }

  private Interrupt tx;

  // Runs under the device lock synchronize takes.
  private int countUnderInterruptLock() {
    try (var held = tx.lock()) {
      return count;
    }
  }
}
