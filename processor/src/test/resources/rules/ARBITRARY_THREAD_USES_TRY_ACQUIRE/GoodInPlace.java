package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.List;

// forEach and the stream operations run the code given to them during the call, on the work
// item's thread: the lock taken there is the work item's, not any thread's. A lambda handed to an
// executor would be.
class GoodInPlace {
  private final List<Integer> channels = List.of(0, 4, 8);
  private final int[] counts = new int[3];
  private Interrupt irq;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    counts[0]++;
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void drain(Interrupt interrupt) {
    irq = interrupt;
    channels.forEach(
        ch -> {
          try (var held = interrupt.lock()) {
            counts[ch / 4] = 0;
          }
        });
    channels.stream().filter(ch -> ch > 0).forEach(this::drainChannel);
  }

  private void drainChannel(int ch) {
    try (var held = irq.lock()) {
      counts[ch / 4] = 0;
    }
  }
}
