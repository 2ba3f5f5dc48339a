package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// A flag that records whether the device lock was taken, set to a literal on every path, tells the
// analysis which paths hold the lock: each form below is balanced and reported by no rule.
class GoodFlags {
  private int settings;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    settings = 0;
  }

  // Set right after the acquire: nothing between them can throw.
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

  // Set right before the acquire, inside the try: nothing between them can throw either.
  public void prepare(Device device, boolean shared) {
    boolean locked = false;
    try {
      if (shared) {
        locked = true;
        device.acquireLock();
      }
      settings = Integer.parseInt("6");
    } finally {
      if (locked) {
        device.releaseLock();
      }
    }
  }

  // Nothing to do without the lock.
  public void refresh(Device device, boolean shared) {
    boolean locked = false;
    if (shared) {
      device.acquireLock();
      locked = true;
    }
    if (!locked) {
      return;
    }
    try {
      settings = Integer.parseInt("7");
    } finally {
      device.releaseLock();
    }
  }

  // Taken at most once in the loop, released once after it.
  public void climb(Device device, int limit) {
    boolean locked = false;
    try {
      while (settings < limit) {
        if (!locked && settings > 3) {
          device.acquireLock();
          locked = true;
        }
        settings = next(settings);
      }
    } finally {
      if (locked) {
        device.releaseLock();
      }
    }
  }

  // A fresh flag each round, cleared again on release.
  public void sweep(Device device, int rounds) {
    for (int i = 0; i < rounds; i++) {
      boolean locked = false;
      if (i % 2 == 0) {
        device.acquireLock();
        locked = true;
      }
      try {
        settings = next(settings);
      } finally {
        if (locked) {
          device.releaseLock();
          locked = false;
        }
      }
    }
  }

  // A copy of the flag is followed like the flag.
  public void copy(Device device, boolean shared) {
    boolean locked = false;
    if (shared) {
      device.acquireLock();
      locked = true;
    }
    boolean release = locked;
    try {
      settings = next(settings);
    } finally {
      if (release) {
        device.releaseLock();
      }
    }
  }

  private static int next(int value) {
    return Integer.parseInt(Integer.toString(value + 1));
  }

  // The parameter itself as the flag: both tests see the same value.
  public void retune(Device device, boolean shared) {
    if (shared) {
      device.acquireLock();
    }
    try {
      settings = Integer.parseInt("8");
    } finally {
      if (shared) {
        device.releaseLock();
      }
    }
  }
}
