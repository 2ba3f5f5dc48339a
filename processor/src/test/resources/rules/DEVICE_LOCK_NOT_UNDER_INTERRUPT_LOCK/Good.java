package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private int pending;
  private int settings;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    pending++;
    return interrupt.queueWorkItemForIsr();
  }

  // The device lock first, then the interrupt lock never inside it: each taken on its own.
  @OnInterruptWorkItem void drain(Interrupt interrupt, Device device) {
    int snapshot = readSettings(device);
    interrupt.acquireInterruptLock();
    try {
      pending = snapshot;
    } finally {
      interrupt.releaseInterruptLock();
    }
  }

  @OnInterruptEnable void on(Interrupt interrupt, Device device) {
    settings = 1;
  }

  @OnInterruptDisable void off(Interrupt interrupt) {}

  private int readSettings(Device device) {
    return device.synchronize(() -> settings);
  }
}
