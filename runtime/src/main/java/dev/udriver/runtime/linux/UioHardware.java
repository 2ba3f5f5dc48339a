package dev.udriver.runtime.linux;

import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptResource;
import dev.udriver.runtime.linux.internal.Libc;
import dev.udriver.runtime.linux.internal.NativeCallException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A UIO device ({@code /dev/uioN}): one interrupt (UIO has a single vector) and memory regions
 * mapped as register blocks.
 *
 * <pre>{@code
 * try (UioHardware uio = UioHardware.open("/dev/uio0");
 *      DeviceNode device = DeviceNode.create("uio0", uio)) {
 *   device.addDriver(new UioCounterDriver(uio.registers(0)));
 *   device.start();     // write(1): interrupt enabled
 * }
 * }</pre>
 *
 * The interrupt is declared as a level-triggered line under {@link #INTERRUPT_NAME} (a driver's
 * only interrupt takes it whatever its name): {@code uio_pdrv_genirq} masks the line in the
 * kernel until the runtime writes 1 after the ISR. Tests use {@link UioStandIn}, which speaks the
 * same protocol over a socket pair.
 *
 * <p>A PCI device bound to {@code uio_pci_generic} opens with {@link #openPci(PciDevice)}: its BARs
 * map from the device's sysfs {@code resourceN} files ({@link #bar(int)}), and since that driver has
 * no {@code irqcontrol}, the interrupt is enabled, disabled and re-armed after each ISR through the
 * INTx-disable bit of the PCI command register in config space.
 *
 * <pre>{@code
 * PciDevice pci = PciDevice.find("1234:11e8");
 * try (UioHardware uio = UioHardware.openPci(pci);
 *      DeviceNode device = DeviceNode.create("edu", uio)) {
 *   device.addDriver(new EduDriver(uio.bar(0)));
 *   device.start();
 * }
 * }</pre>
 */
public final class UioHardware implements DeviceHardware, AutoCloseable {

  /** The name the interrupt is declared under. */
  public static final String INTERRUPT_NAME = "irq";

  private static final int VECTOR = 96;

  private final String description;
  private final int fd;
  private final boolean ownsFd;
  private final Arena arena = Arena.ofShared();
  private final UioSource source;
  private final GrantedInterrupt granted;
  private final Path sysfs;
  private final List<MemorySegment> mappings = new ArrayList<>();
  private final MmioRegisters standInRegisters;
  private final PciDevice pci;
  private final int configFd;

  private UioHardware(
      String description, int fd, boolean ownsFd, int initialCount, Path sysfs,
      MmioRegisters standInRegisters) {
    this(description, fd, ownsFd, initialCount, sysfs, standInRegisters, null, -1, true);
  }

  private UioHardware(
      String description, int fd, boolean ownsFd, int initialCount, Path sysfs,
      MmioRegisters standInRegisters, PciDevice pci, int configFd, boolean irqcontrol) {
    this.description = description;
    this.fd = fd;
    this.ownsFd = ownsFd;
    this.sysfs = sysfs;
    this.standInRegisters = standInRegisters;
    this.pci = pci;
    this.configFd = configFd;
    PciCommandRegister command =
        configFd < 0 ? null : new PciCommandRegister(description, configFd, 0, arena);
    this.source = new UioSource(description, fd, initialCount, arena, command, irqcontrol);
    this.granted =
        new GrantedInterrupt(
            new InterruptResource.Line(InterruptResource.Trigger.LEVEL, false, VECTOR, 0L), source);
  }

  /** Opens {@code /dev/uio}{@code number}. */
  public static UioHardware open(int number) {
    return open("/dev/uio" + number);
  }

  /**
   * Opens a UIO device node.
   *
   * @throws LinuxInterfaceException naming the missing node, the missing permission or the
   *     unavailable platform
   */
  public static UioHardware open(String devNode) {
    LinuxInterrupts.ensureAvailability();
    int fd;
    try {
      fd = Libc.open(devNode, Libc.O_RDWR | Libc.O_CLOEXEC | Libc.O_NONBLOCK);
    } catch (NativeCallException e) {
      throw LinuxInterfaceException.of(
          e,
          devNode,
          "bind the device to uio_pdrv_genirq or uio_pci_generic and give this user read-write"
              + " access to the node (a udev rule, or the group that owns it)");
    }
    Path sysfs = Path.of("/sys/class/uio", Path.of(devNode).getFileName().toString());
    int initialCount = 0;
    try {
      initialCount = Integer.parseInt(Files.readString(sysfs.resolve("event")).trim());
    } catch (IOException | NumberFormatException e) {
      // no sysfs count: the first wake counts as one interrupt
    }
    return new UioHardware(devNode, fd, true, initialCount, sysfs, null);
  }

  /**
   * Opens the UIO node of a PCI device bound to a UIO driver ({@code uio_pci_generic}, or one with
   * {@code irqcontrol}), with its config space for the INTx re-arm.
   *
   * @throws LinuxInterfaceException when the device is bound to no UIO driver ({@code
   *     DRIVER_BINDING}, with the commands that bind it), or the node or config space cannot be
   *     opened ({@code DEVICE_NODE}, {@code PERMISSION})
   */
  public static UioHardware openPci(PciDevice device) {
    LinuxInterrupts.ensureAvailability();
    List<String> nodes = device.uioNodes();
    if (nodes.isEmpty()) {
      String bound = device.driver().orElse("no driver");
      throw new LinuxInterfaceException(
          LinuxInterfaceException.Missing.DRIVER_BINDING,
          "PCI device " + device.address() + " (" + device.id() + ") has no UIO node: it is bound to "
              + bound + "; as root: " + device.bindCommand(PciDevice.UIO_PCI_GENERIC));
    }
    String node = "/dev/" + nodes.getFirst();
    Path config = device.sysfs().resolve("config");
    int configFd;
    try {
      configFd = Libc.open(config.toString(), Libc.O_RDWR | Libc.O_CLOEXEC);
    } catch (NativeCallException e) {
      throw LinuxInterfaceException.of(
          e, config.toString(),
          "the INTx re-arm of " + device.driver().orElse("a UIO driver") + " writes the PCI command"
              + " register: run as root (or give this user write access to " + config + ")");
    }
    int fd;
    try {
      fd = Libc.open(node, Libc.O_RDWR | Libc.O_CLOEXEC | Libc.O_NONBLOCK);
    } catch (NativeCallException e) {
      Libc.close(configFd);
      throw LinuxInterfaceException.of(
          e, node, "give this user read-write access to the node (a udev rule, or the group that owns it)");
    }
    Path sysfs = Path.of("/sys/class/uio", nodes.getFirst());
    int initialCount = 0;
    try {
      initialCount = Integer.parseInt(Files.readString(sysfs.resolve("event")).trim());
    } catch (IOException | NumberFormatException e) {
      // no sysfs count: the first wake counts as one interrupt
    }
    boolean irqcontrol = !device.driver().orElse("").equals(PciDevice.UIO_PCI_GENERIC);
    return new UioHardware(
        node + " (" + device.address() + ")", fd, true, initialCount, sysfs, null, device, configFd,
        irqcontrol);
  }

  /**
   * BAR {@code index} of the PCI device behind this node, mapped read-write from its sysfs {@code
   * resourceN} file (UIO nodes of PCI drivers such as uio_pci_generic have no maps of their own).
   */
  public synchronized MmioRegisters bar(int index) {
    if (standInRegisters != null) {
      return registers(index);
    }
    Path resource =
        pci != null
            ? pci.sysfs().resolve("resource" + index)
            : sysfs.resolve("device/resource" + index);
    long size;
    try {
      size = Files.size(resource);
    } catch (IOException e) {
      throw new LinuxInterfaceException(
          LinuxInterfaceException.Missing.DEVICE_NODE,
          description + ": no memory BAR " + index + " (" + resource + ": " + e + ")");
    }
    int resourceFd;
    try {
      resourceFd = Libc.open(resource.toString(), Libc.O_RDWR | Libc.O_CLOEXEC);
    } catch (NativeCallException e) {
      throw LinuxInterfaceException.of(
          e, resource.toString(), "run as root or give this user read-write access to it");
    }
    try {
      MemorySegment mapping = Libc.mmap(resourceFd, size, 0, "mmap " + resource);
      mappings.add(mapping);
      return new MmioRegisters(mapping);
    } catch (NativeCallException e) {
      throw LinuxInterfaceException.of(e, "mmap of " + resource, "is BAR " + index + " a memory BAR?");
    } finally {
      Libc.close(resourceFd); // the mapping stays valid
    }
  }

  /** The PCI device behind this node, if it was opened with {@link #openPci}. */
  public java.util.Optional<PciDevice> pciDevice() {
    return java.util.Optional.ofNullable(pci);
  }

  /**
   * A UIO device spoken to over {@code fd} (a socket or anything that yields 4-byte counts and
   * takes 4-byte enable/disable writes), with {@code registers} as region 0. For stand-ins.
   */
  static UioHardware overDescriptor(String description, int fd, MmioRegisters registers) {
    return new UioHardware(description, fd, false, 0, null, registers);
  }

  /** The interrupt source (to mask it for the hybrid poll mode, or to read its count). */
  public UioSource source() {
    return source;
  }

  /**
   * Region {@code map} mapped read-write: {@code mmap(fd, size, offset = map * page size)}, the
   * size read from {@code /sys/class/uio/uioN/maps/mapM/size}.
   */
  public synchronized MmioRegisters registers(int map) {
    if (standInRegisters != null) {
      if (map != 0) {
        throw new IllegalArgumentException("the stand-in has one region, map 0");
      }
      return standInRegisters;
    }
    Path sizeFile = sysfs.resolve("maps/map" + map + "/size");
    long size;
    try {
      String text = Files.readString(sizeFile).trim();
      size = Long.decode(text);
    } catch (IOException | NumberFormatException e) {
      throw new LinuxInterfaceException(
          LinuxInterfaceException.Missing.DEVICE_NODE,
          description + ": no memory region " + map + " (cannot read " + sizeFile + ": " + e + ")");
    }
    try {
      MemorySegment mapping = Libc.mmap(fd, size, (long) map * Libc.pageSize(), "mmap " + description);
      mappings.add(mapping);
      return new MmioRegisters(mapping);
    } catch (NativeCallException e) {
      throw LinuxInterfaceException.of(e, "mmap of " + description + " region " + map, null);
    }
  }

  @Override
  public Set<String> interruptNames() {
    return Set.of(INTERRUPT_NAME);
  }

  @Override
  public int requestedInterrupts(String name) {
    return INTERRUPT_NAME.equals(name) ? 1 : 0;
  }

  @Override
  public List<GrantedInterrupt> assignInterrupts(String name) {
    return INTERRUPT_NAME.equals(name) ? List.of(granted) : List.of();
  }

  @Override
  public void releaseInterrupts() {}

  /** Unmaps the regions and closes the device node. */
  @Override
  public synchronized void close() {
    mappings.forEach(Libc::munmap);
    mappings.clear();
    if (ownsFd) {
      Libc.close(fd);
    }
    Libc.close(configFd);
    arena.close();
  }

  @Override
  public String toString() {
    return "UioHardware[" + description + "]";
  }
}
