package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Bad {
  private final java.io.OutputStream log = new java.io.ByteArrayOutputStream();

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    try (var held = interrupt.lock()) {
      // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
      log.write(1);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @OnInterruptEnable void on(Interrupt interrupt) throws java.io.IOException {
    // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
    log.flush();
  }

  @OnInterruptDisable void off(Interrupt interrupt) {}
}
