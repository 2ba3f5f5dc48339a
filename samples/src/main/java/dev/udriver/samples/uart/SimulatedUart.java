package dev.udriver.samples.uart;

import static dev.udriver.samples.uart.UartRegisters.INT_ENABLE;
import static dev.udriver.samples.uart.UartRegisters.INT_RX;
import static dev.udriver.samples.uart.UartRegisters.INT_STATUS;
import static dev.udriver.samples.uart.UartRegisters.LINE_STATUS;
import static dev.udriver.samples.uart.UartRegisters.LSR_DATA_READY;
import static dev.udriver.samples.uart.UartRegisters.RX_DATA;

import dev.udriver.runtime.sim.RegisterBlock;
import dev.udriver.runtime.sim.SimulatedInterrupt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * The device side of the sample UART: a receive FIFO behind a {@link RegisterBlock}, raising an
 * edge-triggered interrupt for each byte that arrives while receive interrupts are enabled. The
 * sender honours hardware flow control: it waits while the FIFO is full, so no byte is lost on the
 * wire and every loss the demo could show is the driver's.
 */
public final class SimulatedUart {

  /** Depth of the hardware receive FIFO. */
  public static final int FIFO_DEPTH = 64;

  private final RegisterBlock registers = new RegisterBlock(UartRegisters.BLOCK_SIZE);
  private final BlockingQueue<Byte> receiveFifo = new ArrayBlockingQueue<>(FIFO_DEPTH);
  private final SimulatedInterrupt interrupt;

  public SimulatedUart(SimulatedInterrupt interrupt) {
    this.interrupt = interrupt;
    registers
        .onRead(RX_DATA, (block, current) -> {
          Byte next = receiveFifo.poll();
          return next == null ? 0 : next & 0xFF;
        })
        .onRead(LINE_STATUS, (block, current) -> receiveFifo.isEmpty() ? 0 : LSR_DATA_READY)
        .onWrite(INT_STATUS, RegisterBlock.writeOneToClear());
  }

  /** The register block the driver reads and writes. */
  public RegisterBlock registers() {
    return registers;
  }

  /** A byte arrives on the wire; waits while the FIFO is full (flow control). */
  public void receive(byte value) throws InterruptedException {
    receiveFifo.put(value);
    if ((registers.peek(INT_ENABLE) & INT_RX) != 0) {
      registers.setBits(INT_STATUS, INT_RX);
      interrupt.fire();
    }
  }

  /** Bytes waiting in the receive FIFO. */
  public int fifoLevel() {
    return receiveFifo.size();
  }
}
