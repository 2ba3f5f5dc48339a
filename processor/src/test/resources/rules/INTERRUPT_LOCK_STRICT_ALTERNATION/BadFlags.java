package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// Flags that say the interrupt lock is held on a path that does not hold it: each still reported.
class BadFlags {
  private int count;

  @OnInterruptIsr("main") boolean onMain(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptIsr("other") boolean onOther(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptIsr("third") boolean onThird(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptIsr("fourth") boolean onFourth(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  // Set before a call that may throw: that exception reaches the release with nothing held.
  @OnInterruptWorkItem("main") void drain(Interrupt interrupt) {
    boolean locked = false;
    try {
      if (count > 0) {
        locked = true;
        count = Integer.parseInt("0");
        interrupt.acquireInterruptLock();
      }
    } finally {
      if (locked) {
        // EXPECT: INTERRUPT_LOCK_STRICT_ALTERNATION
        interrupt.releaseInterruptLock();
      }
    }
  }

  // Set to true on a path that took nothing.
  @OnInterruptWorkItem("other") void other(Interrupt interrupt) {
    boolean locked = false;
    if (count > 0) {
      interrupt.acquireInterruptLock();
      locked = true;
    }
    if (count > 9) {
      locked = true;
    }
    if (locked) {
      // EXPECT: INTERRUPT_LOCK_STRICT_ALTERNATION
      interrupt.releaseInterruptLock();
    }
  }

  // Released under the other flag: a release where it was not taken, a leak where it was.
  @OnInterruptWorkItem("third") void third(Interrupt interrupt) {
    boolean locked = false;
    boolean idle = false;
    if (count > 0) {
      // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
      interrupt.acquireInterruptLock();
      locked = true;
    } else {
      idle = true;
    }
    if (idle) {
      // EXPECT: INTERRUPT_LOCK_STRICT_ALTERNATION
      interrupt.releaseInterruptLock();
    }
  }

  // Compared with the wrong literal: released exactly where nothing was taken.
  @OnInterruptWorkItem("fourth") void fourth(Interrupt interrupt) {
    boolean locked = false;
    if (count > 0) {
      // EXPECT: INTERRUPT_LOCK_BALANCED_ON_EXIT
      interrupt.acquireInterruptLock();
      locked = true;
    }
    if (locked == false) {
      // EXPECT: INTERRUPT_LOCK_STRICT_ALTERNATION
      interrupt.releaseInterruptLock();
    }
  }
}
