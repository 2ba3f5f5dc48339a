package dev.udriver.runtime.linux;

import dev.udriver.runtime.linux.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The PCI command register (config space offset 4) reached through a descriptor: the sysfs
 * {@code config} file of a device bound to a UIO driver, or the VFIO config region. Bit 10
 * (byte 5, bit 2) disables INTx; bit 1 enables memory space, bit 2 bus mastering.
 */
final class PciCommandRegister {

  static final int COMMAND = 4;
  static final int MEMORY_SPACE = 0x2;
  static final int BUS_MASTER = 0x4;
  static final int INTX_DISABLE_HIGH_BYTE = 0x4;

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
    this.hot = arena.allocate(ValueLayout.JAVA_BYTE);
    this.cold = arena.allocate(ValueLayout.JAVA_SHORT);
  }

  /**
   * Sets or clears PCI_COMMAND_INTX_DISABLE with a read-modify-write of byte 5; after the device
   * is acknowledged this re-enables the line that uio_pci_generic's handler masked. Hot path:
   * no allocation; false when the kernel refused.
   */
  boolean intxDisabled(boolean disabled) {
    synchronized (hot) {
      if (Libc.preadHot(fd, hot, 1, base + COMMAND + 1) != 1) {
        return false;
      }
      byte b = hot.get(ValueLayout.JAVA_BYTE, 0);
      byte next = (byte) (disabled ? b | INTX_DISABLE_HIGH_BYTE : b & ~INTX_DISABLE_HIGH_BYTE);
      hot.set(ValueLayout.JAVA_BYTE, 0, next);
      return Libc.pwriteHot(fd, hot, 1, base + COMMAND + 1) == 1;
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
