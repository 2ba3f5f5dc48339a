package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// Flags that do not match the interrupt lock on some path: each still reported.
class BadFlags {
  private static final boolean SHARED_WITH_ISR = false;

  private final java.util.List<Integer> samples = new java.util.ArrayList<>();

  @OnInterruptIsr("needs") boolean onNeeds(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptIsr("shared") boolean onShared(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  // The flag is computed again between the tests: the second may disagree with the first, leaving
  // the lock held or releasing it unheld.
  @OnInterruptWorkItem("needs") void needs(Interrupt interrupt) {
    boolean needLock = samples.size() > 4;
    if (needLock) {
      // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
      interrupt.acquireInterruptLock();
    }
    samples.remove(0);
    needLock = samples.size() > 4;
    if (needLock) {
      // EXPECT: INTERRUPT_LOCK_STRICT_ALTERNATION
      interrupt.releaseInterruptLock();
    }
  }

  // Taken unconditionally, released under a constant that is false.
  @OnInterruptWorkItem("shared") void shared(Interrupt interrupt) {
    // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
    interrupt.acquireInterruptLock();
    try {
      samples.clear();
    } finally {
      if (SHARED_WITH_ISR) {
        interrupt.releaseInterruptLock();
      }
    }
  }

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
