package dev.udriver.runtime.linux;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptResource;
import dev.udriver.runtime.linux.internal.Ioctl;
import dev.udriver.runtime.linux.internal.Libc;
import dev.udriver.runtime.linux.internal.NativeCallException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The interrupts of a PCI device bound to {@code vfio-pci}: one eventfd per vector, handed to the
 * kernel with {@code VFIO_DEVICE_SET_IRQS} ({@code DATA_EVENTFD | ACTION_TRIGGER}) when the device
 * is prepared and withdrawn ({@code DATA_NONE | ACTION_TRIGGER}, count 0) when it is released.
 * MSI and MSI-X vectors are messages (message id = vector index); INTx is a level line that the
 * kernel masks after each interrupt (AUTOMASKED) and the runtime unmasks ({@code ACTION_UNMASK})
 * after each ISR.
 *
 * <p>MSI and MSI-X are memory writes by the device: the kernel drops them while bus mastering is
 * off, and vfio-pci does not turn it on. Interrupt assignment for MSI or MSI-X therefore sets Bus
 * Master Enable (and Memory Space) in the command register through the config region. BARs map
 * with {@link #bar(int)} ({@code VFIO_DEVICE_GET_REGION_INFO}, then {@code mmap} of the device fd).
 *
 * <pre>{@code
 * try (VfioHardware nic = VfioHardware.open("0000:03:00.0", VfioHardware.Irq.MSIX, "queues", 8);
 *      DeviceNode device = DeviceNode.create("nic0", nic)) { ... }
 * }</pre>
 */
public final class VfioHardware implements DeviceHardware, AutoCloseable {

  /** The VFIO PCI interrupt index. */
  public enum Irq {
    INTX(0),
    MSI(1),
    MSIX(2);

    final int index;

    Irq(int index) {
      this.index = index;
    }
  }

  static final int IRQ_SET_DATA_NONE = 1;
  static final int IRQ_SET_DATA_EVENTFD = 4;
  static final int IRQ_SET_ACTION_MASK = 8;
  static final int IRQ_SET_ACTION_UNMASK = 0x10;
  static final int IRQ_SET_ACTION_TRIGGER = 0x20;
  static final int IRQ_INFO_AUTOMASKED = 4;
  private static final int VFIO_TYPE1_IOMMU = 1;
  private static final int GROUP_FLAGS_VIABLE = 1;
  private static final int FIRST_VECTOR = 200;
  private static final int CONFIG_REGION = 7; // VFIO_PCI_CONFIG_REGION_INDEX
  private static final long REGION_INFO_FLAG_MMAP = 4;

  private final String description;
  private final int deviceFd;
  private final int[] ownedFds;
  private final Irq irq;
  private final String interruptName;
  private final int vectors;
  private final Arena arena = Arena.ofShared();
  private final List<VectorSource> sources = new ArrayList<>();
  private final MemorySegment unmask;
  private final List<MemorySegment> mappings = new ArrayList<>();
  private PciCommandRegister command;

  private VfioHardware(
      String description, int deviceFd, int[] ownedFds, Irq irq, String interruptName, int vectors) {
    this.description = description;
    this.deviceFd = deviceFd;
    this.ownedFds = ownedFds;
    this.irq = irq;
    this.interruptName = interruptName;
    this.vectors = vectors;
    this.unmask = encodeIrqSet(arena, IRQ_SET_DATA_NONE | IRQ_SET_ACTION_UNMASK, Irq.INTX.index, 0, 1, null);
  }

  /**
   * Opens the device at {@code pciAddress} (e.g. {@code 0000:03:00.0}) through its IOMMU group,
   * a new type-1 container, and asks for {@code vectors} vectors of {@code irq} under {@code
   * interruptName} (fewer if the device has fewer).
   *
   * @throws LinuxInterfaceException naming the missing device, group node, permission or interface
   */
  public static VfioHardware open(String pciAddress, Irq irq, String interruptName, int vectors) {
    LinuxInterrupts.ensureAvailability();
    if (Files.exists(Path.of("/sys/bus/pci/devices", pciAddress))) {
      PciDevice.at(pciAddress).requireDriver(PciDevice.VFIO_PCI);
    }
    return openBound(pciAddress, irq, interruptName, vectors);
  }

  /**
   * Opens {@code device} (found with {@link PciDevice#find}), which must be bound to vfio-pci.
   *
   * @throws LinuxInterfaceException ({@code DRIVER_BINDING}) when it is bound to another driver,
   *     with the commands that rebind it; or naming the missing group node, permission or interface
   */
  public static VfioHardware open(PciDevice device, Irq irq, String interruptName, int vectors) {
    LinuxInterrupts.ensureAvailability();
    device.requireDriver(PciDevice.VFIO_PCI);
    return openBound(device.address(), irq, interruptName, vectors);
  }

  private static VfioHardware openBound(String pciAddress, Irq irq, String interruptName, int vectors) {
    Path devicePath = Path.of("/sys/bus/pci/devices", pciAddress);
    if (!Files.exists(devicePath)) {
      throw new LinuxInterfaceException(
          LinuxInterfaceException.Missing.DEVICE_NODE, "no PCI device " + devicePath);
    }
    String group;
    try {
      group = Files.readSymbolicLink(devicePath.resolve("iommu_group")).getFileName().toString();
    } catch (IOException e) {
      throw new LinuxInterfaceException(
          LinuxInterfaceException.Missing.KERNEL_INTERFACE,
          pciAddress + " has no IOMMU group (" + e + "); enable the IOMMU (intel_iommu=on,"
              + " amd_iommu=on) and bind the device to vfio-pci");
    }
    int container = -1;
    int groupFd = -1;
    try {
      container = openNode("/dev/vfio/vfio", "load the vfio and vfio-pci modules");
      if (Libc.ioctl(container, Ioctl.VFIO_GET_API_VERSION, 0L, "VFIO_GET_API_VERSION") != 0) {
        throw new LinuxInterfaceException(
            LinuxInterfaceException.Missing.KERNEL_INTERFACE, "unknown VFIO API version");
      }
      if (Libc.ioctl(container, Ioctl.VFIO_CHECK_EXTENSION, VFIO_TYPE1_IOMMU, "VFIO_CHECK_EXTENSION") != 1) {
        throw new LinuxInterfaceException(
            LinuxInterfaceException.Missing.KERNEL_INTERFACE, "VFIO without the type-1 IOMMU");
      }
      groupFd = openNode("/dev/vfio/" + group, "bind every device of IOMMU group " + group + " to vfio-pci"
          + " and give this user access to the group node");
      try (Arena scratch = Arena.ofConfined()) {
        MemorySegment status = scratch.allocate(8, 4);
        status.set(JAVA_INT, 0, 8);
        Libc.ioctl(groupFd, Ioctl.VFIO_GROUP_GET_STATUS, status, "VFIO_GROUP_GET_STATUS");
        if ((status.get(JAVA_INT, 4) & GROUP_FLAGS_VIABLE) == 0) {
          throw new LinuxInterfaceException(
              LinuxInterfaceException.Missing.KERNEL_INTERFACE,
              "IOMMU group " + group + " is not viable: bind all its devices to vfio-pci");
        }
        MemorySegment containerArg = scratch.allocate(JAVA_INT);
        containerArg.set(JAVA_INT, 0, container);
        Libc.ioctl(groupFd, Ioctl.VFIO_GROUP_SET_CONTAINER, containerArg, "VFIO_GROUP_SET_CONTAINER");
        Libc.ioctl(container, Ioctl.VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU, "VFIO_SET_IOMMU");
        int device =
            Libc.ioctl(
                groupFd, Ioctl.VFIO_GROUP_GET_DEVICE_FD, scratch.allocateFrom(pciAddress),
                "VFIO_GROUP_GET_DEVICE_FD");
        return overDevice(pciAddress, device, new int[] {device, groupFd, container}, irq, interruptName, vectors);
      }
    } catch (NativeCallException e) {
      Libc.close(groupFd);
      Libc.close(container);
      throw LinuxInterfaceException.of(e, "VFIO " + pciAddress, null);
    } catch (RuntimeException e) {
      Libc.close(groupFd);
      Libc.close(container);
      throw e;
    }
  }

  private static int openNode(String path, String remedy) {
    try {
      return Libc.open(path, Libc.O_RDWR | Libc.O_CLOEXEC);
    } catch (NativeCallException e) {
      throw LinuxInterfaceException.of(e, path, remedy);
    }
  }

  /** A device whose VFIO descriptor the caller opened (it stays the caller's to close). */
  public static VfioHardware overDevice(int deviceFd, Irq irq, String interruptName, int vectors) {
    LinuxInterrupts.ensureAvailability();
    return overDevice("fd " + deviceFd, deviceFd, new int[0], irq, interruptName, vectors);
  }

  private static VfioHardware overDevice(
      String description, int deviceFd, int[] owned, Irq irq, String name, int vectors) {
    int available;
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment info = scratch.allocate(16, 4); // struct vfio_irq_info
      info.set(JAVA_INT, 0, 16);
      info.set(JAVA_INT, 8, irq.index);
      Libc.ioctl(deviceFd, Ioctl.VFIO_DEVICE_GET_IRQ_INFO, info, "VFIO_DEVICE_GET_IRQ_INFO");
      available = info.get(JAVA_INT, 12);
    } catch (NativeCallException e) {
      for (int fd : owned) {
        Libc.close(fd);
      }
      throw LinuxInterfaceException.of(e, "VFIO device " + description, null);
    }
    return new VfioHardware(description, deviceFd, owned, irq, name, Math.min(vectors, available));
  }

  /**
   * {@code struct vfio_irq_set { u32 argsz, flags, index, start, count; s32 data[count]; }}: a
   * 20-byte header, then the eventfds when {@code fds} is given.
   */
  static MemorySegment encodeIrqSet(Arena arena, int flags, int index, int start, int count, int[] fds) {
    int dataCount = fds == null ? 0 : fds.length;
    int argsz = 20 + 4 * dataCount;
    MemorySegment set = arena.allocate(argsz, 4);
    set.set(JAVA_INT, 0, argsz);
    set.set(JAVA_INT, 4, flags);
    set.set(JAVA_INT, 8, index);
    set.set(JAVA_INT, 12, start);
    set.set(JAVA_INT, 16, count);
    for (int i = 0; i < dataCount; i++) {
      set.set(JAVA_INT, 20 + 4L * i, fds[i]);
    }
    return set;
  }

  public int vectors() {
    return vectors;
  }

  /** The interrupt kind this hardware hands out. */
  public Irq irq() {
    return irq;
  }

  /**
   * {@code struct vfio_region_info { u32 argsz, flags, index, cap_offset; u64 size, offset; }}:
   * {flags, size, offset} of region {@code index}.
   */
  private long[] regionInfo(int index) {
    try (Arena scratch = Arena.ofConfined()) {
      MemorySegment info = scratch.allocate(32, 8);
      info.set(JAVA_INT, 0, 32);
      info.set(JAVA_INT, 8, index);
      Libc.ioctl(deviceFd, Ioctl.VFIO_DEVICE_GET_REGION_INFO, info, "VFIO_DEVICE_GET_REGION_INFO");
      return new long[] {
        Integer.toUnsignedLong(info.get(JAVA_INT, 4)),
        info.get(ValueLayout.JAVA_LONG, 16),
        info.get(ValueLayout.JAVA_LONG, 24)
      };
    } catch (NativeCallException e) {
      throw LinuxInterfaceException.of(e, "VFIO " + description + " region " + index, null);
    }
  }

  /**
   * BAR {@code index} (0 to 5) mapped read-write: {@code mmap} of the device descriptor at the
   * region's offset.
   *
   * @throws LinuxInterfaceException when the BAR is absent, not mappable or the map fails
   */
  public synchronized MmioRegisters bar(int index) {
    if (index < 0 || index > 5) {
      throw new IllegalArgumentException("PCI BARs are 0 to 5: " + index);
    }
    long[] info = regionInfo(index);
    if (info[1] == 0) {
      throw new LinuxInterfaceException(
          LinuxInterfaceException.Missing.DEVICE_NODE, description + " has no BAR " + index);
    }
    if ((info[0] & REGION_INFO_FLAG_MMAP) == 0) {
      throw new LinuxInterfaceException(
          LinuxInterfaceException.Missing.KERNEL_INTERFACE,
          description + " BAR " + index + " cannot be mapped (region flags 0x"
              + Long.toHexString(info[0]) + "): an I/O port BAR, or a BAR smaller than a page");
    }
    try {
      MemorySegment mapping = Libc.mmap(deviceFd, info[1], info[2], "mmap of " + description + " BAR " + index);
      mappings.add(mapping);
      return new MmioRegisters(mapping);
    } catch (NativeCallException e) {
      throw LinuxInterfaceException.of(e, "mmap of VFIO " + description + " BAR " + index, null);
    }
  }

  private synchronized PciCommandRegister command() {
    if (command == null) {
      long[] info = regionInfo(CONFIG_REGION);
      command = new PciCommandRegister(description, deviceFd, info[2], arena);
    }
    return command;
  }

  /** The PCI command register, read through the config region. */
  public int pciCommand() {
    try {
      return command().read();
    } catch (NativeCallException e) {
      throw LinuxInterfaceException.of(e, "VFIO " + description + " config region", null);
    }
  }

  /**
   * Sets Memory Space and Bus Master Enable: needed for MSI and MSI-X (message writes) and for the
   * device's own DMA. Done by {@link #assignInterrupts} for MSI and MSI-X.
   */
  public void enableBusMaster() {
    try {
      command().set(PciCommandRegister.MEMORY_SPACE | PciCommandRegister.BUS_MASTER);
    } catch (NativeCallException e) {
      throw LinuxInterfaceException.of(e, "VFIO " + description + " config region (Bus Master Enable)", null);
    }
  }

  @Override
  public Set<String> interruptNames() {
    return Set.of(interruptName);
  }

  @Override
  public int requestedInterrupts(String name) {
    return interruptName.equals(name) ? vectors : 0;
  }

  @Override
  public synchronized List<GrantedInterrupt> assignInterrupts(String name) {
    if (!interruptName.equals(name) || vectors == 0) {
      return List.of();
    }
    releaseInterrupts();
    if (irq != Irq.INTX) {
      enableBusMaster(); // MSI/MSI-X writes are dropped without it
    }
    int[] fds = new int[vectors];
    List<GrantedInterrupt> granted = new ArrayList<>();
    try {
      for (int i = 0; i < vectors; i++) {
        VectorSource source = new VectorSource(i);
        sources.add(source);
        fds[i] = source.fd;
        InterruptResource resource =
            irq == Irq.INTX
                ? new InterruptResource.Line(InterruptResource.Trigger.LEVEL, false, FIRST_VECTOR, 0L)
                : new InterruptResource.Message(FIRST_VECTOR + i, 0L);
        granted.add(new GrantedInterrupt(resource, source));
      }
      try (Arena scratch = Arena.ofConfined()) {
        Libc.ioctl(
            deviceFd,
            Ioctl.VFIO_DEVICE_SET_IRQS,
            encodeIrqSet(scratch, IRQ_SET_DATA_EVENTFD | IRQ_SET_ACTION_TRIGGER, irq.index, 0, vectors, fds),
            "VFIO_DEVICE_SET_IRQS(trigger)");
      }
    } catch (NativeCallException e) {
      releaseInterrupts();
      throw LinuxInterfaceException.of(e, "VFIO " + description + " " + irq, null);
    }
    return granted;
  }

  @Override
  public synchronized void releaseInterrupts() {
    if (sources.isEmpty()) {
      return;
    }
    try (Arena scratch = Arena.ofConfined()) {
      Libc.ioctl(
          deviceFd,
          Ioctl.VFIO_DEVICE_SET_IRQS,
          encodeIrqSet(scratch, IRQ_SET_DATA_NONE | IRQ_SET_ACTION_TRIGGER, irq.index, 0, 0, null),
          "VFIO_DEVICE_SET_IRQS(disable)");
    } catch (NativeCallException e) {
      System.getLogger("dev.udriver").log(System.Logger.Level.WARNING, description + ": " + e.getMessage());
    }
    sources.forEach(source -> Libc.close(source.fd));
    sources.clear();
  }

  @Override
  public synchronized void close() {
    releaseInterrupts();
    mappings.forEach(Libc::munmap);
    mappings.clear();
    for (int fd : ownedFds) {
      Libc.close(fd);
    }
    arena.close();
  }

  /** One vector's eventfd; INTx is unmasked after each ISR. */
  private final class VectorSource extends LinuxInterruptSource {
    private final int vector;
    private final int fd;
    private final MemorySegment buffer;

    VectorSource(int vector) {
      this.vector = vector;
      this.fd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
      this.buffer = arena.allocate(ValueLayout.JAVA_LONG);
    }

    @Override
    void onConnect() {
      rearm(true);
    }

    @Override
    void rearm(boolean claimed) {
      if (irq == Irq.INTX) {
        synchronized (unmask) {
          Libc.ioctlHot(deviceFd, Ioctl.VFIO_DEVICE_SET_IRQS, unmask);
        }
      }
    }

    @Override
    public int fd() {
      return fd;
    }

    /** One read: an eventfd read returns the whole counter and resets it. */
    @Override
    public long readSignals() {
      return Libc.readHot(fd, buffer, 8) == 8 ? buffer.get(ValueLayout.JAVA_LONG, 0) : 0;
    }

    @Override
    public String toString() {
      return "VFIO " + description + " " + irq + " vector " + vector;
    }
  }
}
