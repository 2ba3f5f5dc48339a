package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;

class Good {
  private final java.io.OutputStream log = new java.io.ByteArrayOutputStream();
  private int value;

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    int copy;
    try (var held = interrupt.lock()) {
      copy = value;
    }
    try {
      log.write(copy);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @OnInterruptEnable void on(Interrupt interrupt) {}

  @OnInterruptDisable void off(Interrupt interrupt) {}
}
