package dev.udriver.samples.uart;

/**
 * Register map of the sample UART receiver: byte offsets into its register block and bit masks,
 * modelled on a 16550's receive path.
 */
public final class UartRegisters {
  /** Received data: each read takes the oldest byte from the receive FIFO. */
  public static final int RX_DATA = 0x00;
  /** Line status: {@link #LSR_DATA_READY} while the receive FIFO holds data. */
  public static final int LINE_STATUS = 0x04;
  /** Interrupt enable: {@link #INT_RX} raises an interrupt when data arrives. */
  public static final int INT_ENABLE = 0x08;
  /** Interrupt status: pending causes; write 1 to a bit to acknowledge (clear) it. */
  public static final int INT_STATUS = 0x0C;

  public static final int LSR_DATA_READY = 1;
  public static final int INT_RX = 1;

  /** Size of the register block in bytes. */
  public static final int BLOCK_SIZE = 0x10;

  private UartRegisters() {}
}
