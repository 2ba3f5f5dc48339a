package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.logging.Logger;

class GoodLoggingAndSocket {
  private static final Logger LOG = Logger.getLogger(GoodLoggingAndSocket.class.getName());
  private final DatagramSocket telemetry;
  private final DatagramPacket packet = new DatagramPacket(new byte[64], 64);
  private int sent;

  GoodLoggingAndSocket() throws IOException {
    telemetry = new DatagramSocket();
  }

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    try {
      telemetry.send(packet); // outside the locked region
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int count;
    try (var held = interrupt.lock()) {
      count = ++sent;
    }
    LOG.fine(() -> "sent " + count);
  }

  @OnInterruptEnable void on(Interrupt interrupt) {}

  @OnInterruptDisable void off(Interrupt interrupt) {}
}
