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
 * <h2>Interrupt.disable() and enable()</h2>
 *
 * A driver's {@code disable()} disarms the vector at the kernel, not only in the runtime: INTx is
 * masked ({@code DATA_NONE | ACTION_MASK}) and unmasked again by {@code enable()}; an MSI or MSI-X
 * vector's trigger is detached ({@code DATA_EVENTFD | ACTION_TRIGGER} for that one vector with fd
 * -1, which frees the host interrupt) and attached again by {@code enable()}. vfio-pci masks only
 * INTx ({@code ACTION_MASK} on MSI and MSI-X answers ENOTTY), so detaching is the one way to stop
 * the kernel signalling an MSI vector. A count that reached the eventfd after the dispatcher had
 * stopped watching it (an interrupt raised during the disable) is discarded with the detach or the
 * mask. So, as with UMDF's force-disconnect, an interrupt raised while the interrupt is disabled is
 * not delivered on {@code enable()}, with two exceptions that come from the device and not from the
 * runtime: an INTx line still asserted at the unmask fires again (level semantics: the device
 * still wants service), and a device that holds a pending bit for a masked MSI-X vector may send
 * that message once the vector is attached again, which the ISR sees as a new interrupt. A device
 * stop releases every vector anyway ({@code DATA_NONE | ACTION_TRIGGER}, count 0) and closes the
 * eventfds.
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
  private final VfioDeviceIoctls ioctls;
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
      String description, int deviceFd, VfioDeviceIoctls ioctls, int[] ownedFds, Irq irq,
      String interruptName, int vectors) {
    this.description = description;
    this.deviceFd = deviceFd;
    this.ioctls = ioctls;
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
    return new VfioHardware(
        description, deviceFd, VfioDeviceIoctls.kernel(deviceFd), owned, irq, name,
        Math.min(vectors, available));
  }

  /**
   * A device whose ioctls a stand-in answers; {@code deviceFd} is read and mapped at the region
   * offsets the stand-in reports (a file). Stays the caller's to close.
   */
  static VfioHardware overStandIn(
      String description, int deviceFd, VfioDeviceIoctls ioctls, Irq irq, String name, int vectors) {
    return new VfioHardware(description, deviceFd, ioctls, new int[0], irq, name, vectors);
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
      ioctls.ioctl(Ioctl.VFIO_DEVICE_GET_REGION_INFO, info, "VFIO_DEVICE_GET_REGION_INFO");
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
        ioctls.ioctl(
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
      ioctls.ioctl(
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

  /**
   * One vector's eventfd; INTx is unmasked after each ISR. Disconnecting disarms the vector at the
   * kernel and connecting arms it again (see the class comment).
   */
  private final class VectorSource extends LinuxInterruptSource {
    private final int vector;
    private final int fd;
    private final MemorySegment buffer; // the dispatcher's
    private final MemorySegment discarded; // the lifecycle's: the dispatcher no longer reads then
    // Lifecycle threads, and the dispatcher's when an interrupt storm disconnects it.
    private volatile boolean detached;
    /**
     * INTx: whether an unmask after an ISR may reach the kernel. Cleared, under the unmask monitor,
     * before a disconnect's mask: a late re-arm of the last ISR then cannot unmask the line again.
     */
    private boolean armed; // guarded by unmask

    VectorSource(int vector) {
      this.vector = vector;
      this.fd = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
      this.buffer = arena.allocate(ValueLayout.JAVA_LONG);
      this.discarded = arena.allocate(ValueLayout.JAVA_LONG);
    }

    @Override
    void onConnect() {
      if (irq == Irq.INTX) {
        synchronized (unmask) {
          armed = true;
        }
        rearm(true); // the kernel's automask after an interrupt, or the mask of a disable
      } else if (detached) {
        setIrqs(IRQ_SET_DATA_EVENTFD | IRQ_SET_ACTION_TRIGGER, fd, "attach");
        detached = false;
      }
    }

    /**
     * Called once the dispatcher stopped watching the eventfd: disarms the vector, then discards
     * the count that arrived since, which no ISR will see (a disabled interrupt drops it).
     */
    @Override
    void onDisconnect() {
      try {
        if (irq == Irq.INTX) {
          synchronized (unmask) {
            armed = false; // an unmask under way finishes first; a later one is skipped
            setIrqs(IRQ_SET_DATA_NONE | IRQ_SET_ACTION_MASK, 0, "mask");
          }
        } else {
          setIrqs(IRQ_SET_DATA_EVENTFD | IRQ_SET_ACTION_TRIGGER, -1, "detach");
          detached = true;
        }
      } catch (LinuxInterfaceException e) {
        // The disconnect goes on (teardown must not stop half-way); the vector stays armed.
        warnDevice("could not disarm " + this + " at the kernel; it stays armed: " + e.getMessage());
      }
      Libc.readHot(fd, discarded, 8);
    }

    /** {@code VFIO_DEVICE_SET_IRQS} for this vector alone; {@code eventfd} only with DATA_EVENTFD. */
    private void setIrqs(int flags, int eventfd, String what) {
      boolean withFd = (flags & IRQ_SET_DATA_EVENTFD) != 0;
      try (Arena scratch = Arena.ofConfined()) {
        ioctls.ioctl(
            Ioctl.VFIO_DEVICE_SET_IRQS,
            encodeIrqSet(scratch, flags, irq.index, vector, 1, withFd ? new int[] {eventfd} : null),
            "VFIO_DEVICE_SET_IRQS(" + what + " " + irq + " vector " + vector + ")");
      } catch (NativeCallException e) {
        throw LinuxInterfaceException.of(e, "VFIO " + description, null);
      }
    }

    @Override
    void rearm(boolean claimed) {
      if (irq == Irq.INTX) {
        synchronized (unmask) {
          if (armed) {
            ioctls.ioctlHot(Ioctl.VFIO_DEVICE_SET_IRQS, unmask);
          }
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
