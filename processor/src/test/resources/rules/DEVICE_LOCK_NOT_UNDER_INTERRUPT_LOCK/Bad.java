package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private int pending;
  private int settings;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    Device device = interrupt.getDevice();
    // EXPECT: DEVICE_LOCK_NOT_UNDER_INTERRUPT_LOCK
    device.acquireLock();
    pending++;
    device.releaseLock();
    // EXPECT: DEVICE_LOCK_NOT_UNDER_INTERRUPT_LOCK
    pending += readSettings(interrupt);
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void drain(Interrupt interrupt, Device device) {
    interrupt.acquireInterruptLock();
    try {
      // EXPECT: DEVICE_LOCK_NOT_UNDER_INTERRUPT_LOCK
      try (var held = device.lock()) {
        pending = 0;
      }
    } finally {
      interrupt.releaseInterruptLock();
    }
  }

  @OnInterruptEnable void on(Interrupt interrupt, Device device) {
    // EXPECT: DEVICE_LOCK_NOT_UNDER_INTERRUPT_LOCK
    settings = device.synchronize(() -> 1);
  }

  @OnInterruptDisable void off(Interrupt interrupt) {}

  private int readSettings(Interrupt interrupt) {
    return interrupt.getDevice().synchronize(() -> settings);
  }
}
