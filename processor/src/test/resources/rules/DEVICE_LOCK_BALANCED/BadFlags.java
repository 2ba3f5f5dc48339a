package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// Flags that do not match the lock on some path: each still reported.
class BadFlags {
  private int settings;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    settings = 0;
  }

  // Set after a call that may throw: that exception leaves with the lock held and `locked` false.
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

  // Set before a call that may throw: that exception reaches the release with nothing held.
  public void prepare(Device device, boolean shared) {
    boolean locked = false;
    try {
      if (shared) {
        locked = true;
        settings = Integer.parseInt("6");
        device.acquireLock();
      }
      settings++;
    } finally {
      if (locked) {
        // EXPECT: DEVICE_LOCK_BALANCED
        device.releaseLock();
      }
    }
  }

  // Never set: the lock taken is never released.
  public void forget(Device device, boolean shared) {
    boolean locked = false;
    if (shared) {
      // EXPECT: DEVICE_LOCK_BALANCED
      device.acquireLock();
    }
    try {
      settings++;
    } finally {
      if (locked) {
        device.releaseLock();
      }
    }
  }

  // Released under the other flag: a leak where it was taken, a release where it was not.
  public void mixUp(Device device, boolean shared) {
    boolean locked = false;
    boolean quiet = false;
    if (shared) {
      // EXPECT: DEVICE_LOCK_BALANCED
      device.acquireLock();
      locked = true;
    } else {
      quiet = true;
    }
    try {
      settings++;
    } finally {
      if (quiet) {
        // EXPECT: DEVICE_LOCK_BALANCED
        device.releaseLock();
      }
    }
  }

  // Set to true on a path that took nothing.
  public void retry(Device device, boolean shared) {
    boolean locked = false;
    if (shared) {
      device.acquireLock();
      locked = true;
    }
    if (settings > 9) {
      locked = true;
    }
    try {
      settings++;
    } finally {
      if (locked) {
        // EXPECT: DEVICE_LOCK_BALANCED
        device.releaseLock();
      }
    }
  }

  // A flag given a value that is not a literal is not followed: both branches stay possible.
  public void guess(Device device, boolean shared) {
    boolean locked = shared;
    if (shared) {
      // EXPECT: DEVICE_LOCK_BALANCED
      device.acquireLock();
    }
    settings++;
    if (locked) {
      // EXPECT: DEVICE_LOCK_BALANCED
      device.releaseLock();
    }
  }
}
