package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;

class BadSocket {
  private final DatagramSocket telemetry;
  private final Socket control = new Socket();
  private final ServerSocket console;
  private final SocketChannel stream;
  private final DatagramChannel events;
  private final DatagramPacket packet = new DatagramPacket(new byte[64], 64);

  BadSocket() throws IOException {
    telemetry = new DatagramSocket();
    console = new ServerSocket(0);
    stream = SocketChannel.open();
    events = DatagramChannel.open();
  }

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    try {
      // EXPECT: ISR_NO_BLOCKING
      telemetry.send(packet);
      // EXPECT: ISR_NO_BLOCKING
      telemetry.receive(packet);
      // EXPECT: ISR_NO_BLOCKING
      control.connect(new InetSocketAddress("localhost", 7));
      // EXPECT: ISR_NO_BLOCKING
      control.shutdownOutput();
      // EXPECT: ISR_NO_BLOCKING
      console.accept();
      // EXPECT: ISR_NO_BLOCKING
      stream.write(ByteBuffer.allocate(1));
      // EXPECT: ISR_NO_BLOCKING
      events.read(ByteBuffer.allocate(1));
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
