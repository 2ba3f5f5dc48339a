package dev.udriver.samples.linux;

import dev.udriver.annotation.OnInterruptDisable;
import dev.udriver.annotation.OnInterruptEnable;
import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.linux.MmioRegisters;

/**
 * A driver for a UIO device with a small register block (region 0): an event counter that
 * interrupts when it has news.
 *
 * <pre>
 *   0x00 STATUS      bit 0: an event is pending; the driver writes 0 to acknowledge
 *   0x04 DATA        the device's event counter
 *   0x08 INT_ENABLE  bit 0: interrupt on events
 * </pre>
 *
 * The enable callback programs the device's interrupt-enable register (the runtime then writes 1
 * to the UIO node), the disable callback clears it. The ISR checks it is the source, latches the
 * counter and acknowledges; the work item publishes the latest value.
 */
public final class UioCounterDriver {

  public static final int STATUS = 0x00;
  public static final int DATA = 0x04;
  public static final int INT_ENABLE = 0x08;
  public static final int PENDING = 1;

  private final MmioRegisters registers;

  // Guarded by the interrupt lock.
  private int latched;

  private volatile int published;
  private volatile long notOurs;

  public UioCounterDriver(MmioRegisters registers) {
    this.registers = registers;
  }

  @OnInterruptEnable
  void enable(Interrupt interrupt) {
    registers.write32(STATUS, 0);
    registers.write32(INT_ENABLE, PENDING);
  }

  @OnInterruptDisable
  void disable(Interrupt interrupt) {
    registers.write32(INT_ENABLE, 0);
  }

  @OnInterruptIsr
  boolean onInterrupt(Interrupt interrupt) {
    if ((registers.read32(STATUS) & PENDING) == 0) {
      notOurs = notOurs + 1;
      return false;
    }
    latched = registers.read32(DATA);
    registers.write32(STATUS, 0); // acknowledge: the line drops
    interrupt.queueWorkItemForIsr();
    return true;
  }

  @OnInterruptWorkItem
  void publish(Interrupt interrupt) {
    int value;
    try (var held = interrupt.lock()) {
      value = latched;
    }
    published = value;
  }

  /** The counter value the work item last published. */
  public int published() {
    return published;
  }

  /** ISR calls that found no pending event. */
  public long notOurs() {
    return notOurs;
  }
}
