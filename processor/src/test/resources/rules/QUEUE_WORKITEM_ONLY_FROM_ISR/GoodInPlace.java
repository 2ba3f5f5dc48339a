package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.stream.IntStream;

// A helper called from a lambda that a stream runs in the ISR runs in the ISR.
class GoodInPlace {
  private final int[] pending = new int[4];

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    IntStream.range(0, 4).filter(ch -> pending[ch] > 8).findFirst().ifPresent(ch -> defer(interrupt));
    return true;
  }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    pending[0] = 0;
  }

  private void defer(Interrupt interrupt) {
    interrupt.queueWorkItemForIsr();
  }
}
