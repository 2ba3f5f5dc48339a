package dev.udriver.runtime.linux;

import dev.udriver.runtime.linux.internal.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The interrupt of a UIO device. A read of 4 bytes returns the device's running interrupt count;
 * the difference from the last count is the number of interrupts behind the wake ("if the
 * difference is greater than one, you missed interrupts", uio-howto), which surfaces as the
 * coalesced count. Writing 1 enables the interrupt and writing 0 disables it ({@code irqcontrol});
 * {@code uio_pdrv_genirq} disables the line in its kernel handler, so the runtime writes 1 again
 * after every ISR. A device without {@code irqcontrol} answers ENOSYS and is then never written.
 *
 * <p>{@code uio_pci_generic} has no {@code irqcontrol}: its kernel handler masks INTx in the PCI
 * command register (PCI_COMMAND_INTX_DISABLE), and user space re-enables the line by clearing that
 * bit through the device's config space after the ISR has acknowledged the device. Where the UIO
 * node belongs to a PCI device, that is the re-arm (and the enable/disable) this source uses when
 * {@code write(1)} is unavailable.
 */
public final class UioSource extends LinuxInterruptSource {

  private final String description;
  private final int fd;
  private final MemorySegment countBuffer; // dispatcher
  private final MemorySegment controlBuffer; // dispatcher and lifecycle (serialised by the device)
  private int lastCount;
  private volatile boolean controllable;
  private final PciCommandRegister pciCommand;

  UioSource(String description, int fd, int initialCount, Arena arena) {
    this(description, fd, initialCount, arena, null, true);
  }

  /**
   * {@code pciCommand}: the command register of the PCI device behind the node (null for none);
   * {@code irqcontrol}: whether the kernel driver takes {@code write(1)}/{@code write(0)}.
   */
  UioSource(
      String description, int fd, int initialCount, Arena arena, PciCommandRegister pciCommand,
      boolean irqcontrol) {
    this.description = description;
    this.fd = fd;
    this.lastCount = initialCount;
    this.pciCommand = pciCommand;
    this.controllable = irqcontrol;
    this.countBuffer = arena.allocate(ValueLayout.JAVA_INT);
    this.controlBuffer = arena.allocate(ValueLayout.JAVA_INT);
  }

  @Override
  void onConnect() {
    control(1);
  }

  @Override
  void onDisconnect() {
    control(0);
  }

  @Override
  void rearm(boolean claimed) {
    control(1);
  }

  private void control(int on) {
    if (controllable) {
      synchronized (controlBuffer) {
        controlBuffer.set(ValueLayout.JAVA_INT, 0, on);
        if (Libc.writeHot(fd, controlBuffer, 4) == 4) {
          return;
        }
        // ENOSYS: the kernel driver has no irqcontrol; the PCI command register (if any), or
        // epoll alone, then gates the interrupt
        controllable = false;
      }
    }
    if (pciCommand != null) {
      pciCommand.intxDisabled(on == 0);
    }
  }

  /** How this source re-enables the interrupt after an ISR. */
  public String rearmMethod() {
    if (controllable) {
      return "irqcontrol write(1)";
    }
    return pciCommand != null ? "PCI config space (clear INTx disable)" : "none";
  }

  @Override
  public int fd() {
    return fd;
  }

  /**
   * One {@code read} per readiness: uio_read returns the device's current total count and records
   * it as this descriptor's last seen count, so a second read would only answer EAGAIN until the
   * next interrupt (it cannot carry a newer count than the first). The difference from the count
   * read before (or from the sysfs count at open, for the first read) is the number of interrupts
   * behind the wake; a count that did not move still stands for the interrupt that made the
   * descriptor readable.
   */
  @Override
  public long readSignals() {
    if (Libc.readHot(fd, countBuffer, 4) != 4) {
      return 0; // EAGAIN: a spurious wake
    }
    int latest = countBuffer.get(ValueLayout.JAVA_INT, 0);
    long delta = Integer.toUnsignedLong(latest - lastCount); // s32 wraps
    lastCount = latest;
    return delta == 0 ? 1 : delta;
  }

  /** The interrupt count last read. */
  public int lastCount() {
    return lastCount;
  }

  @Override
  public String toString() {
    return "UIO " + description + " (fd " + fd + ")";
  }
}
