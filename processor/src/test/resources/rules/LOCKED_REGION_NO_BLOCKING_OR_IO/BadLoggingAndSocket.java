package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.util.logging.Level;
import java.util.logging.Logger;

class BadLoggingAndSocket {
  private static final Logger LOG = Logger.getLogger(BadLoggingAndSocket.class.getName());
  private final DatagramSocket telemetry;
  private final DatagramPacket packet = new DatagramPacket(new byte[64], 64);

  BadLoggingAndSocket() throws IOException {
    telemetry = new DatagramSocket();
  }

  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return interrupt.queueWorkItemForIsr(); }

  @OnInterruptWorkItem void work(Interrupt interrupt) {
    try (var held = interrupt.lock()) {
      // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
      telemetry.send(packet);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @OnInterruptEnable void on(Interrupt interrupt) {
    // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
    LOG.info("enabled");
  }

  @OnInterruptDisable void off(Interrupt interrupt) {
    // EXPECT: LOCKED_REGION_NO_BLOCKING_OR_IO
    LOG.log(Level.CONFIG, "disabled");
  }
}
