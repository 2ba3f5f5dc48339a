package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private int settings;

  @OnInterruptIsr("tx") boolean onTx(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("tx") void drainTx(Interrupt interrupt, Device device) {
    // EXPECT: DEVICE_LOCK_BALANCED
    device.acquireLock();
    settings = Integer.parseInt("1");
    device.releaseLock();
  }

  @OnInterruptIsr(value = "rx", automaticSerialization = true) boolean onRx(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem("rx") void drainRx(Interrupt interrupt, Device device) {
    // EXPECT: DEVICE_LOCK_BALANCED
    store(device, 3);
    // EXPECT: DEVICE_LOCK_BALANCED
    try (var held = device.lock()) {
      settings = 2;
    }
    // EXPECT: DEVICE_LOCK_BALANCED
    device.releaseLock();
  }

  @OnInterruptIsr(value = "dma", automaticSerialization = true)
  boolean onDma(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  // Gives the framework's hold up around slow work and takes it back: only the release is wrong.
  @OnInterruptWorkItem("dma") void drainDma(Interrupt interrupt, Device device) {
    // EXPECT: DEVICE_LOCK_BALANCED
    device.releaseLock();
    try {
      settings = Integer.parseInt("4");
    } finally {
      device.acquireLock();
    }
  }

  public void configure(Device device, int value) {
    device.acquireLock();
    // EXPECT: DEVICE_LOCK_BALANCED
    device.acquireLock();
    settings = value;
    device.releaseLock();
    // EXPECT: DEVICE_LOCK_BALANCED
    device.releaseLock();
  }

  public void reset(Device device) {
    // EXPECT: DEVICE_LOCK_BALANCED
    device.acquireLock();
    if (settings == 0) {
      return;
    }
    settings = 0;
    device.releaseLock();
  }

  // The flag is set after a call that may throw: Integer.parseInt leaves with the lock held and
  // `locked` still false, so the finally block does not release it.
  public void adjust(Device device, boolean shared) {
    boolean locked = false;
    try {
      if (shared) {
        // EXPECT: DEVICE_LOCK_BALANCED
        device.acquireLock();
        settings = Integer.parseInt("5");
        locked = true;
      }
      settings++;
    } finally {
      if (locked) {
        device.releaseLock();
      }
    }
  }

  public void update(Device device) {
    try (var held = device.lock()) {
      // EXPECT: DEVICE_LOCK_BALANCED
      store(device, settings + 1);
    }
  }

  private void store(Device device, int value) {
    device.synchronize(() -> settings = value);
  }

  public int read(Device device) {
    // EXPECT: DEVICE_LOCK_BALANCED
    return device.synchronize(this::snapshot);
  }

  private int snapshot() {
    device.acquireLock();
    try {
      return settings;
    } finally {
      device.releaseLock();
    }
  }

  private Device device;
}
