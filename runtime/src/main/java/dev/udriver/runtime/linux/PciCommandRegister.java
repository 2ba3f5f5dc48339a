package dev.udriver.runtime.linux;

import dev.udriver.runtime.linux.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The PCI command register (config space offset 4) reached through a descriptor: the sysfs
 * {@code config} file of a device bound to a UIO driver, or the VFIO config region. Bit 10
 * disables INTx; bit 1 enables memory space, bit 2 bus mastering.
 */
final class PciCommandRegister {

  static final int COMMAND = 4;
  static final int MEMORY_SPACE = 0x2;
  static final int BUS_MASTER = 0x4;
  static final int INTX_DISABLE = 0x400;

  private final String description;
  private final int fd;
  private final long base;
  private final MemorySegment hot; // the dispatcher's byte (INTx re-enable after each ISR)
  private final MemorySegment cold;

  /** {@code base}: where config space starts in {@code fd} (0 for sysfs, the region offset for VFIO). */
  PciCommandRegister(String description, int fd, long base, Arena arena) {
    this.description = description;
    this.fd = fd;
    this.base = base;
    this.hot = arena.allocate(ValueLayout.JAVA_SHORT);
    this.cold = arena.allocate(ValueLayout.JAVA_SHORT);
  }

  /**
   * Sets or clears PCI_COMMAND_INTX_DISABLE (bit 10) with a 16-bit read-modify-write of the
   * command register; after the device is acknowledged this re-enables the line that
   * uio_pci_generic's handler masked. The write covers byte 4 on purpose: QEMU re-evaluates the
   * INTx pin only on a config write that covers the command register's low byte, so a one-byte
   * write to byte 5 leaves a line that was raised while masked unsignalled (interrupt status set,
   * INTx enabled, no interrupt). Hot path: no allocation; false when the kernel refused.
   */
  boolean intxDisabled(boolean disabled) {
    synchronized (hot) {
      if (Libc.preadHot(fd, hot, 2, base + COMMAND) != 2) {
        return false;
      }
      short word = hot.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0);
      short next = (short) (disabled ? word | INTX_DISABLE : word & ~INTX_DISABLE);
      hot.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, next);
      return Libc.pwriteHot(fd, hot, 2, base + COMMAND) == 2;
    }
  }

  /** The command register. */
  synchronized int read() {
    Libc.pread(fd, cold, 2, base + COMMAND, "read PCI command register of " + description);
    return Short.toUnsignedInt(cold.get(ValueLayout.JAVA_SHORT, 0));
  }

  /** Sets {@code bits} in the command register (read-modify-write); returns the new value. */
  synchronized int set(int bits) {
    int value = read() | bits;
    cold.set(ValueLayout.JAVA_SHORT, 0, (short) value);
    Libc.pwrite(fd, cold, 2, base + COMMAND, "write PCI command register of " + description);
    return value;
  }
}
