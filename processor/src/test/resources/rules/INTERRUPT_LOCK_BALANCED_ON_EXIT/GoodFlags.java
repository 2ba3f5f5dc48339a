package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// A flag that records whether the interrupt lock was taken, set to a literal on every path, tells
// the analysis which paths hold the lock: each form below is balanced and reported by no rule.
class GoodFlags {
  private static final boolean SHARED_WITH_ISR = true;

  private final java.util.List<Integer> samples = new java.util.ArrayList<>();
  private boolean urgent;

  @OnInterruptIsr("needs") boolean onNeeds(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptIsr("helped") boolean onHelped(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptIsr("shared") boolean onShared(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptIsr("decoded") boolean onDecoded(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  private int status;
  private final int[] counts = new int[5];

  // Status bits decoded into flags inside the region: they guard no lock, so however many there
  // are, the lock's own flag is still followed.
  @OnInterruptWorkItem("decoded") void decoded(Interrupt interrupt) {
    int bits = status;
    boolean locked = false;
    if (bits != 0) {
      interrupt.acquireInterruptLock();
      locked = true;
    }
    try {
      boolean rx = (bits & 1) != 0;
      boolean tx = (bits & 2) != 0;
      boolean overrun = (bits & 4) != 0;
      boolean lineBreak = (bits & 8) != 0;
      boolean clearToSend = (bits & 16) != 0;
      boolean parity = (bits & 32) != 0;
      if (rx) counts[0]++;
      if (tx) counts[1]++;
      if (overrun) counts[2]++;
      if (lineBreak) counts[3]++;
      if (clearToSend) counts[4]++;
      if (parity) counts[0]--;
    } finally {
      if (locked) {
        interrupt.releaseInterruptLock();
      }
    }
  }

  // A flag computed at run time, tested twice and not assigned between: both tests agree.
  @OnInterruptWorkItem("needs") void needs(Interrupt interrupt) {
    boolean needLock = samples.size() > 4;
    if (needLock) {
      interrupt.acquireInterruptLock();
    }
    try {
      samples.clear();
    } finally {
      if (needLock) {
        interrupt.releaseInterruptLock();
      }
    }
  }

  @OnInterruptWorkItem("helped") void helped(Interrupt interrupt) {
    trim(interrupt, !urgent);
  }

  // The caller's choice, as a parameter.
  private void trim(Interrupt interrupt, boolean locked) {
    if (locked) {
      interrupt.acquireInterruptLock();
    }
    try {
      samples.remove(0);
    } finally {
      if (locked) {
        interrupt.releaseInterruptLock();
      }
    }
  }

  // A constant: its branch is the only one taken.
  @OnInterruptWorkItem("shared") void shared(Interrupt interrupt) {
    if (SHARED_WITH_ISR) {
      interrupt.acquireInterruptLock();
    }
    try {
      samples.clear();
    } finally {
      if (GoodFlags.SHARED_WITH_ISR) {
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

  @OnInterruptIsr("rare") boolean onRare(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptIsr("slow") boolean onSlow(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptIsr("spelled") boolean onSpelled(Interrupt interrupt) {
    return interrupt.queueWorkItemForIsr();
  }

  // Taken only when there is work, released under the flag set right after the acquire.
  @OnInterruptWorkItem("main") void drain(Interrupt interrupt) {
    boolean locked = false;
    if (!samples.isEmpty()) {
      interrupt.acquireInterruptLock();
      locked = true;
    }
    try {
      samples.clear();
    } finally {
      if (locked) {
        interrupt.releaseInterruptLock();
      }
    }
  }

  // The flag records a successful try-acquire.
  @OnInterruptWorkItem("poll") void poll(Interrupt interrupt) {
    boolean locked = false;
    if (interrupt.tryToAcquireInterruptLock()) {
      locked = true;
    }
    try {
      samples.clear();
    } finally {
      if (locked) {
        interrupt.releaseInterruptLock();
      }
    }
  }

  // Tried only when urgent: the flag is false or the try's result.
  @OnInterruptWorkItem("rare") void rare(Interrupt interrupt) {
    boolean locked = false;
    if (urgent) {
      locked = interrupt.tryToAcquireInterruptLock();
    }
    if (!locked) {
      return;
    }
    try {
      samples.clear();
    } finally {
      interrupt.releaseInterruptLock();
    }
  }

  // The flag and the try's result compared with literals.
  @OnInterruptWorkItem("spelled") void spelled(Interrupt interrupt) {
    boolean locked = false;
    if (urgent == true && interrupt.tryToAcquireInterruptLock() != false) {
      locked = true;
    }
    try {
      samples.clear();
    } finally {
      if (locked == true) {
        interrupt.releaseInterruptLock();
      }
    }
  }

  // Released early on one path, the flag cleared with it.
  @OnInterruptWorkItem("slow") void slow(Interrupt interrupt) {
    interrupt.acquireInterruptLock();
    boolean locked = true;
    try {
      if (samples.size() > 8) {
        interrupt.releaseInterruptLock();
        locked = false;
        samples.clear();
      }
    } finally {
      if (locked) {
        interrupt.releaseInterruptLock();
      }
    }
  }
}
