package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

// Code given to forEach or Optional.ifPresent runs in the ISR, during the call: it must not block
// either.
class BadInPlace {
  private final List<String> errors = new ArrayList<>();
  private final ReentrantLock stats = new ReentrantLock();
  private int total;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {
    // EXPECT: ISR_NO_BLOCKING
    errors.forEach(e -> System.err.println(e));
    // EXPECT: ISR_NO_BLOCKING
    Optional.of(1).ifPresent(v -> { stats.lock(); try { total += v; } finally { stats.unlock(); } });
    return total > 0;
  }
}
