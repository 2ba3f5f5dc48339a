package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private int settings;

  @OnInterruptIsr("tx") boolean onTx(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("tx") void drainTx(Interrupt interrupt, Device device) {
    device.acquireLock();
    try {
      settings = Integer.parseInt("1");
    } finally {
      device.releaseLock();
    }
  }

  @OnInterruptIsr(value = "rx", automaticSerialization = true) boolean onRx(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  // The framework holds the device lock around this work item: nothing to take or release.
  @OnInterruptWorkItem("rx") void drainRx(Interrupt interrupt, Device device) {
    settings = 2;
  }

  public void configure(Device device, int value) {
    try (var held = device.lock()) {
      settings = value;
    }
    device.acquireLock();
    settings++;
    device.releaseLock();
  }

  public void reset(Device device) {
    device.acquireLock();
    if (settings == 0) {
      device.releaseLock();
      return;
    }
    settings = 0;
    device.releaseLock();
  }

  // Locks only when asked; the flag, set right after the acquire, says whether to release.
  public void adjust(Device device, boolean shared) {
    boolean locked = false;
    if (shared) {
      device.acquireLock();
      locked = true;
    }
    try {
      settings = Integer.parseInt("5");
    } finally {
      if (locked) {
        device.releaseLock();
      }
    }
  }

  // The helper takes the lock itself; callers call it without holding it.
  public void update(Device device) {
    int next;
    try (var held = device.lock()) {
      next = settings + 1;
    }
    store(device, next);
  }

  private void store(Device device, int value) {
    device.synchronize(() -> settings = value);
  }

  // The method reference runs under the lock synchronize takes; the helper takes nothing.
  public int read(Device device) {
    return device.synchronize(this::snapshot);
  }

  private int snapshot() {
    return settings;
  }
}
