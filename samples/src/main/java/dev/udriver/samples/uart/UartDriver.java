package dev.udriver.samples.uart;

import static dev.udriver.samples.uart.UartRegisters.INT_ENABLE;
import static dev.udriver.samples.uart.UartRegisters.INT_RX;
import static dev.udriver.samples.uart.UartRegisters.INT_STATUS;
import static dev.udriver.samples.uart.UartRegisters.LINE_STATUS;
import static dev.udriver.samples.uart.UartRegisters.LSR_DATA_READY;
import static dev.udriver.samples.uart.UartRegisters.RX_DATA;

import dev.udriver.annotation.OnInterruptDisable;
import dev.udriver.annotation.OnInterruptEnable;
import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.sim.RegisterBlock;

/**
 * A UART receive driver. The ISR acknowledges the device, moves the bytes out of the hardware FIFO
 * into a ring buffer and queues the work item; the work item takes what accumulated under the
 * interrupt lock and hands it to the receiver outside the lock. Several ISR runs may happen before
 * one work item run: the work item drains everything. When the ring is full the ISR throttles:
 * it leaves bytes in the hardware FIFO, whose flow control holds the sender back, so no byte is
 * ever dropped.
 */
public final class UartDriver {

  /** Where received bytes go; called on the work-item thread, never under the interrupt lock. */
  @FunctionalInterface
  public interface Receiver {
    void received(byte[] bytes, int length);
  }

  private static final int RING_SIZE = 4096; // a power of two

  private final RegisterBlock registers;
  private final Receiver receiver;

  // Guarded by the interrupt lock: written by the ISR, drained by the work item.
  private final byte[] ring = new byte[RING_SIZE];
  private long written;
  private long read;

  // Written by the ISR only; read by anyone.
  private volatile long throttles;

  // Work-item thread only: the ring's contents plus what the hardware FIFO held back.
  private final byte[] drained = new byte[RING_SIZE + SimulatedUart.FIFO_DEPTH];

  public UartDriver(RegisterBlock registers, Receiver receiver) {
    this.registers = registers;
    this.receiver = receiver;
  }

  @OnInterruptIsr
  boolean onInterrupt(Interrupt interrupt) {
    int pending = registers.read32(INT_STATUS);
    if ((pending & INT_RX) == 0) {
      return false; // not ours
    }
    registers.write32(INT_STATUS, pending); // acknowledge before draining: a later byte re-raises
    while ((registers.read32(LINE_STATUS) & LSR_DATA_READY) != 0) {
      if (written - read == RING_SIZE) {
        // Throttle: leave the rest in the hardware FIFO, whose flow control holds the sender
        // back; the work item takes it once the ring has room.
        throttles = throttles + 1; // single writer: the ISR
        break;
      }
      ring[(int) (written++ & (RING_SIZE - 1))] = (byte) registers.read32(RX_DATA);
    }
    interrupt.queueWorkItemForIsr();
    return true;
  }

  @OnInterruptWorkItem
  void drain(Interrupt interrupt) {
    int length;
    try (var held = interrupt.lock()) {
      length = (int) (written - read);
      for (int i = 0; i < length; i++) {
        drained[i] = ring[(int) (read++ & (RING_SIZE - 1))];
      }
      // Unthrottle: what the ISR left in the FIFO while the ring was full has raised its
      // interrupts already; take it here so that the sender can go on.
      while (length < drained.length
          && (registers.read32(LINE_STATUS) & LSR_DATA_READY) != 0) {
        drained[length++] = (byte) registers.read32(RX_DATA);
      }
    }
    if (length > 0) {
      receiver.received(drained, length);
    }
  }

  @OnInterruptEnable
  void enable(Interrupt interrupt) {
    registers.write32(INT_ENABLE, INT_RX);
  }

  @OnInterruptDisable
  void disable(Interrupt interrupt) {
    registers.write32(INT_ENABLE, 0);
  }

  /** How often the ISR found the ring full and left bytes in the hardware FIFO. */
  public long throttles() {
    return throttles;
  }
}
