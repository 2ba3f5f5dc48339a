package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

// The methods of a class nested in the driver are followed from the ISR too.
class BadNested {
  private final Ring ring = new Ring();

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    // EXPECT: ISR_NO_BLOCKING
    ring.waitForSpace();
    ring.push(1);
    return true;
  }

  static final class Ring {
    private final int[] slots = new int[64];
    private int head;
    private int tail;

    void waitForSpace() {
      while (head - tail == slots.length) {
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    void push(int value) {
      slots[head++ & (slots.length - 1)] = value;
    }
  }
}
