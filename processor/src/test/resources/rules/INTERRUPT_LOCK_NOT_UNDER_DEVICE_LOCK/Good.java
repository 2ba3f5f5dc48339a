package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private int count;
  private int settings;

  @OnInterruptIsr("tx") boolean onTx(Interrupt interrupt) {
    count++;
    return interrupt.queueWorkItemForIsr();
  }

  // The interrupt lock is taken and given back before the device lock is taken.
  @OnInterruptWorkItem("tx") void drainTx(Interrupt interrupt, Device device) {
    int seen = interrupt.synchronize(() -> count);
    device.acquireLock();
    try {
      settings = seen;
    } finally {
      device.releaseLock();
    }
    clear(interrupt);
    // The interrupt lock, given back, then the device lock around a helper that takes none.
    count = interrupt.synchronize(this::readCount);
    settings = device.synchronize(this::readSettings);
  }

  @OnInterruptIsr(value = "rx", automaticSerialization = true) boolean onRx(Interrupt interrupt) {
    count++;
    return interrupt.queueWorkItemForIsr();
  }

  // Under the device lock the framework holds, a try-acquire does not wait: no deadlock.
  @OnInterruptWorkItem("rx") void drainRx(Interrupt interrupt) {
    if (interrupt.tryToAcquireInterruptLock()) {
      try {
        count = 0;
      } finally {
        interrupt.releaseInterruptLock();
      }
    }
  }

  private void clear(Interrupt interrupt) {
    try (var held = interrupt.lock()) {
      count = 0;
    }
  }

  private int readCount() {
    return count;
  }

  private int readSettings() {
    return settings;
  }
}
