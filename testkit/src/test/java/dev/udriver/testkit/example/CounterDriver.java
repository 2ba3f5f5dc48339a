package dev.udriver.testkit.example;

import dev.udriver.annotation.OnInterruptDisable;
import dev.udriver.annotation.OnInterruptEnable;
import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.runtime.Device;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.sim.RegisterBlock;

/**
 * The driver under test: a device that counts events. Its ISR reads STATUS, acknowledges it by
 * writing the bits back (write-one-to-clear), and leaves the rest to the work item, which reads
 * the COUNT register: events that arrive before the ISR runs merge into one status bit.
 */
public class CounterDriver {
  static final int CONTROL = 0x0; // bit 0: interrupt enable
  static final int STATUS = 0x4; // bit 0: event pending (write one to clear)
  static final int COUNT = 0x8;

  private final RegisterBlock registers;
  private int pendingEvents; // ISR calls since the last work item, under the interrupt lock
  volatile long total; // events the device counted, as the work item last read them
  volatile long isrCallsSeen;

  public CounterDriver(RegisterBlock registers) {
    this.registers = registers;
  }

  @OnInterruptEnable
  void enable(Interrupt interrupt) {
    registers.write32(CONTROL, 1);
  }

  @OnInterruptDisable
  void disable(Interrupt interrupt) {
    registers.write32(CONTROL, 0);
  }

  @OnInterruptIsr
  boolean isr(Interrupt interrupt) {
    int status = registers.read32(STATUS);
    if ((status & 1) == 0) {
      return false; // not ours
    }
    registers.write32(STATUS, status); // acknowledge: the device de-asserts the line
    pendingEvents++;
    interrupt.queueWorkItemForIsr();
    return true;
  }

  @OnInterruptWorkItem
  void work(Interrupt interrupt, Device device) {
    int events;
    try (var held = interrupt.lock()) {
      events = pendingEvents;
      pendingEvents = 0;
    }
    isrCallsSeen += events;
    total = registers.read32(COUNT); // events that merged into one status bit are still counted
  }
}
