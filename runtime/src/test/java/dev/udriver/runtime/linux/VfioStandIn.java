package dev.udriver.runtime.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.udriver.runtime.linux.internal.Ioctl;
import dev.udriver.runtime.linux.internal.Libc;
import dev.udriver.runtime.linux.internal.NativeCallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stands in for a device bound to vfio-pci: answers {@code VFIO_DEVICE_SET_IRQS} and {@code
 * VFIO_DEVICE_GET_REGION_INFO} as vfio-pci does, decoding the {@code struct vfio_irq_set} the
 * runtime encodes, and records each SET_IRQS. A raised vector is signalled on the eventfd attached
 * as its trigger, as the kernel's handler does; a vector without one loses the message. INTx is a
 * level line: it signals when asserted and not masked, then masks itself (AUTOMASKED) until an
 * unmask, which signals again while the line is still asserted. Config space is a file, which the
 * runtime reads and writes at the config region's offset 0.
 */
final class VfioStandIn implements VfioDeviceIoctls, AutoCloseable {

  /** One decoded {@code VFIO_DEVICE_SET_IRQS}; {@code fds} is empty without DATA_EVENTFD. */
  record IrqSet(int flags, int index, int start, int count, List<Integer> fds) {}

  private static final int REGION_READ = 1;
  private static final int REGION_WRITE = 2;
  private static final int CONFIG_SIZE = 256;
  private static final int NO_INDEX = -1;

  private final VfioHardware.Irq irq;
  private final Path config;
  private final int deviceFd;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment one;
  private final VfioHardware hardware;
  private final List<IrqSet> irqSets = new ArrayList<>();
  private final int[] triggers;
  private int activeIndex = NO_INDEX;
  private boolean intxMasked;
  private boolean intxAsserted;
  private long lostMessages;

  private VfioStandIn(VfioHardware.Irq irq, String interruptName, int vectors) {
    LinuxInterrupts.ensureAvailability();
    this.irq = irq;
    try {
      config = Files.createTempFile("vfio-standin-config", ".bin");
      Files.write(config, new byte[CONFIG_SIZE]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    deviceFd = Libc.open(config.toString(), Libc.O_RDWR | Libc.O_CLOEXEC);
    one = arena.allocate(JAVA_LONG);
    one.set(JAVA_LONG, 0, 1L);
    triggers = new int[vectors];
    Arrays.fill(triggers, -1);
    hardware = VfioHardware.overStandIn("stand-in", deviceFd, this, irq, interruptName, vectors);
  }

  static VfioStandIn create(VfioHardware.Irq irq, String interruptName, int vectors) {
    return new VfioStandIn(irq, interruptName, vectors);
  }

  VfioHardware hardware() {
    return hardware;
  }

  /** The SET_IRQS calls so far, decoded. */
  synchronized List<IrqSet> irqSets() {
    return List.copyOf(irqSets);
  }

  /** The device sends MSI or MSI-X message {@code vector}. */
  synchronized void raise(int vector) {
    if (irq == VfioHardware.Irq.INTX) {
      throw new IllegalStateException("INTx is a line: assertIntx()");
    }
    if (activeIndex == irq.index && triggers[vector] >= 0) {
      Libc.writeHot(triggers[vector], one, 8);
    } else {
      lostMessages++;
    }
  }

  /** Messages raised while their vector had no trigger. */
  synchronized long lostMessages() {
    return lostMessages;
  }

  /** The device asserts its INTx line (it stays asserted until {@link #deassertIntx()}). */
  synchronized void assertIntx() {
    intxAsserted = true;
    signalIntxIfUnmasked();
  }

  /** The driver acknowledged the device: the line drops. */
  synchronized void deassertIntx() {
    intxAsserted = false;
  }

  synchronized boolean intxAsserted() {
    return intxAsserted;
  }

  synchronized boolean intxMasked() {
    return intxMasked;
  }

  private void signalIntxIfUnmasked() {
    if (intxAsserted && !intxMasked && activeIndex == VfioHardware.Irq.INTX.index && triggers[0] >= 0) {
      Libc.writeHot(triggers[0], one, 8);
      intxMasked = true; // AUTOMASKED
    }
  }

  @Override
  public synchronized int ioctl(long request, MemorySegment argument, String what) {
    if (request == Ioctl.VFIO_DEVICE_SET_IRQS) {
      int errno = setIrqs(argument.reinterpret(Integer.MAX_VALUE));
      if (errno != 0) {
        throw new NativeCallException(what, errno);
      }
      return 0;
    }
    if (request == Ioctl.VFIO_DEVICE_GET_REGION_INFO) {
      // struct vfio_region_info { u32 argsz, flags, index, cap_offset; u64 size, offset; }
      boolean configRegion = argument.get(JAVA_INT, 8) == 7;
      argument.set(JAVA_INT, 4, configRegion ? REGION_READ | REGION_WRITE : 0);
      argument.set(JAVA_LONG, 16, configRegion ? CONFIG_SIZE : 0);
      argument.set(JAVA_LONG, 24, 0);
      return 0;
    }
    throw new NativeCallException(what, Libc.ENOTTY);
  }

  @Override
  public int ioctlHot(long request, MemorySegment argument) {
    try {
      return ioctl(request, argument, "ioctl");
    } catch (NativeCallException e) {
      return -1;
    }
  }

  /** vfio_pci_set_irqs_ioctl, for INTx, MSI and MSI-X; the errno, or 0. */
  private int setIrqs(MemorySegment set) {
    int argsz = set.get(JAVA_INT, 0);
    int flags = set.get(JAVA_INT, 4);
    int index = set.get(JAVA_INT, 8);
    int start = set.get(JAVA_INT, 12);
    int count = set.get(JAVA_INT, 16);
    boolean eventfds = (flags & VfioHardware.IRQ_SET_DATA_EVENTFD) != 0;
    boolean none = (flags & VfioHardware.IRQ_SET_DATA_NONE) != 0;
    if (eventfds == none || argsz != 20 + (eventfds ? 4 * count : 0)) {
      return Libc.EINVAL;
    }
    List<Integer> fds = new ArrayList<>();
    for (int i = 0; eventfds && i < count; i++) {
      fds.add(set.get(JAVA_INT, 20 + 4L * i));
    }
    irqSets.add(new IrqSet(flags, index, start, count, List.copyOf(fds)));
    if (index != irq.index || start < 0 || start + count > triggers.length) {
      return Libc.EINVAL;
    }
    boolean intx = index == VfioHardware.Irq.INTX.index;
    if ((flags & VfioHardware.IRQ_SET_ACTION_TRIGGER) != 0) {
      if (none && count == 0) { // disable the index
        Arrays.fill(triggers, -1);
        activeIndex = NO_INDEX;
        return 0;
      }
      if (!eventfds || (activeIndex != NO_INDEX && activeIndex != index)) {
        return Libc.EINVAL;
      }
      if (activeIndex == NO_INDEX) {
        intxMasked = false;
      }
      activeIndex = index;
      for (int i = 0; i < count; i++) {
        triggers[start + i] = fds.get(i); // -1 detaches the vector (free_irq)
      }
      return 0;
    }
    if (!intx) {
      return Libc.ENOTTY; // vfio-pci cannot mask MSI or MSI-X vectors
    }
    if (!none || activeIndex != index) {
      return Libc.EINVAL;
    }
    if ((flags & VfioHardware.IRQ_SET_ACTION_MASK) != 0) {
      intxMasked = true;
    } else if ((flags & VfioHardware.IRQ_SET_ACTION_UNMASK) != 0) {
      intxMasked = false;
      signalIntxIfUnmasked();
    }
    return 0;
  }

  @Override
  public synchronized void close() {
    hardware.close();
    Libc.close(deviceFd);
    arena.close();
    try {
      Files.deleteIfExists(config);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
