package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;

class GoodSocket {
  private final DatagramSocket telemetry;
  private final DatagramPacket packet = new DatagramPacket(new byte[64], 64);
  private volatile int lastFrame;

  GoodSocket() throws IOException {
    telemetry = new DatagramSocket();
  }

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    lastFrame = 64;
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void publish() {
    try {
      packet.setLength(lastFrame);
      telemetry.send(packet); // the work item may do I/O
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
