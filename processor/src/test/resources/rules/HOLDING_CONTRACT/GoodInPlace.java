package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.stream.IntStream;

// A method reference given to a stream in the ISR is called there, with the framework's lock held.
class GoodInPlace {
  private final int[] pending = new int[4];
  private int status;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    int bits = status;
    IntStream.range(0, 4).filter(ch -> (bits & (1 << ch)) != 0).forEach(this::ack);
    return bits != 0;
  }

  @HoldsInterruptLock
  private void ack(int ch) {
    pending[ch]++;
  }
}
