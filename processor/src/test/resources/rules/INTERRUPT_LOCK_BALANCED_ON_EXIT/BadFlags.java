package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// Flags that do not match the interrupt lock on some path: each still reported.
class BadFlags {
  private final java.util.List<Integer> samples = new java.util.ArrayList<>();

  @OnInterruptIsr("main") boolean onMain(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptIsr("poll") boolean onPoll(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptIsr("wait") boolean onWait(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  // Set after a call that may throw: that exception leaves with the lock held and `locked` false.
  @OnInterruptWorkItem("main") void drain(Interrupt interrupt) {
    boolean locked = false;
    try {
      if (!samples.isEmpty()) {
        // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
        interrupt.acquireInterruptLock();
        samples.clear();
        locked = true;
      }
    } finally {
      if (locked) {
        interrupt.releaseInterruptLock();
      }
    }
  }

  // Never set after a successful try: the lock is never released.
  @OnInterruptWorkItem("poll") void poll(Interrupt interrupt) {
    boolean locked = false;
    // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
    if (interrupt.tryToAcquireInterruptLock()) {
      samples.add(1);
    }
    if (locked) {
      interrupt.releaseInterruptLock();
    }
  }

  // Waits for the lock when the try fails, but `locked` keeps the try's false: not released then.
  @OnInterruptWorkItem("wait") void await(Interrupt interrupt) {
    boolean locked = interrupt.tryToAcquireInterruptLock();
    if (!locked) {
      // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
      interrupt.acquireInterruptLock();
    }
    try {
      samples.clear();
    } finally {
      if (locked) {
        interrupt.releaseInterruptLock();
      }
    }
  }
}
