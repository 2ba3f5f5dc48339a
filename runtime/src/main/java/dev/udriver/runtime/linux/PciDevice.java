package dev.udriver.runtime.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A PCI function as sysfs shows it ({@code /sys/bus/pci/devices/<address>}): its address, vendor
 * and device id, the kernel driver bound to it, its UIO node and IOMMU group. Used to find a
 * device by vendor/device id or address before opening it through {@link UioHardware#openPci}
 * or {@link VfioHardware#open(PciDevice, VfioHardware.Irq, String, int)}, with errors that say
 * what is missing and how to fix it.
 *
 * <pre>{@code
 * PciDevice edu = PciDevice.find("1234:11e8").requireDriver(PciDevice.VFIO_PCI);
 * }</pre>
 */
public final class PciDevice {

  /** The generic UIO driver for PCI devices with INTx (no {@code irqcontrol}). */
  public static final String UIO_PCI_GENERIC = "uio_pci_generic";

  /** The VFIO driver for PCI devices. */
  public static final String VFIO_PCI = "vfio-pci";

  static final Path SYSFS = Path.of("/sys/bus/pci/devices");

  private static final Pattern ID = Pattern.compile("\\p{XDigit}{4}:\\p{XDigit}{4}");
  private static final Pattern SHORT_ADDRESS =
      Pattern.compile("\\p{XDigit}{2}:\\p{XDigit}{2}\\.[0-7]");
  private static final Pattern ADDRESS =
      Pattern.compile("\\p{XDigit}{4}:\\p{XDigit}{2}:\\p{XDigit}{2}\\.[0-7]");

  private final Path sysfs;
  private final String address;
  private final int vendor;
  private final int device;

  private PciDevice(Path sysfs, String address, int vendor, int device) {
    this.sysfs = sysfs;
    this.address = address;
    this.vendor = vendor;
    this.device = device;
  }

  /**
   * The device named by {@code spec}: a vendor:device id ({@code 1234:11e8}, the first such
   * device) or an address ({@code 0000:00:02.0} or {@code 00:02.0}).
   *
   * @throws LinuxInterfaceException ({@code DEVICE_NODE}) when there is no such device
   * @throws IllegalArgumentException when {@code spec} is neither
   */
  public static PciDevice find(String spec) {
    return find(SYSFS, spec);
  }

  static PciDevice find(Path root, String spec) {
    String s = spec.trim().toLowerCase(Locale.ROOT);
    if (ID.matcher(s).matches()) {
      return find(root, Integer.parseInt(s.substring(0, 4), 16), Integer.parseInt(s.substring(5), 16));
    }
    if (SHORT_ADDRESS.matcher(s).matches()) {
      s = "0000:" + s;
    }
    if (ADDRESS.matcher(s).matches()) {
      return at(root, s);
    }
    throw new IllegalArgumentException(
        "not a PCI vendor:device id (1234:11e8) or address (0000:00:02.0): " + spec);
  }

  /** The device at {@code address} ({@code 0000:00:02.0}). */
  public static PciDevice at(String address) {
    return at(SYSFS, address);
  }

  static PciDevice at(Path root, String address) {
    Path dir = root.resolve(address);
    if (!Files.isDirectory(dir)) {
      throw new LinuxInterfaceException(
          LinuxInterfaceException.Missing.DEVICE_NODE,
          "no PCI device at " + address + " (" + dir + " does not exist)" + present(root));
    }
    return new PciDevice(dir, address, readId(dir, "vendor"), readId(dir, "device"));
  }

  /** The first device (lowest address) with this vendor and device id. */
  public static PciDevice find(int vendor, int device) {
    return find(SYSFS, vendor, device);
  }

  static PciDevice find(Path root, int vendor, int device) {
    List<PciDevice> all = findAll(root, vendor, device);
    if (all.isEmpty()) {
      throw new LinuxInterfaceException(
          LinuxInterfaceException.Missing.DEVICE_NODE,
          String.format(Locale.ROOT, "no PCI device %04x:%04x under %s", vendor, device, root)
              + present(root));
    }
    return all.getFirst();
  }

  /** Every device with this vendor and device id, by address. */
  public static List<PciDevice> findAll(int vendor, int device) {
    return findAll(SYSFS, vendor, device);
  }

  static List<PciDevice> findAll(Path root, int vendor, int device) {
    List<PciDevice> found = new ArrayList<>();
    for (PciDevice d : list(root)) {
      if (d.vendor == vendor && d.device == device) {
        found.add(d);
      }
    }
    return found;
  }

  private static List<PciDevice> list(Path root) {
    List<PciDevice> all = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return all;
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
      for (Path dir : dirs) {
        try {
          all.add(
              new PciDevice(
                  dir, dir.getFileName().toString(), readId(dir, "vendor"), readId(dir, "device")));
        } catch (LinuxInterfaceException e) {
          // not a readable PCI function; skip it
        }
      }
    } catch (IOException e) {
      return all;
    }
    all.sort((a, b) -> a.address.compareTo(b.address));
    return all;
  }

  private static String present(Path root) {
    List<PciDevice> all = list(root);
    if (all.isEmpty()) {
      return "; " + root + " lists no PCI devices";
    }
    StringBuilder s = new StringBuilder("; present:");
    for (PciDevice d : all) {
      s.append(' ').append(d.address).append(' ').append(d.id());
    }
    return s.toString();
  }

  private static int readId(Path dir, String file) {
    try {
      return Integer.decode(Files.readString(dir.resolve(file)).trim());
    } catch (IOException | NumberFormatException e) {
      throw new LinuxInterfaceException(
          LinuxInterfaceException.Missing.DEVICE_NODE, "cannot read " + dir.resolve(file) + ": " + e);
    }
  }

  /** The address, {@code 0000:00:02.0}. */
  public String address() {
    return address;
  }

  public int vendor() {
    return vendor;
  }

  public int device() {
    return device;
  }

  /** {@code vendor:device} in hex, {@code 1234:11e8}. */
  public String id() {
    return String.format(Locale.ROOT, "%04x:%04x", vendor, device);
  }

  /** The device's sysfs folder. */
  public Path sysfs() {
    return sysfs;
  }

  /** The kernel driver bound to the device, if any. */
  public Optional<String> driver() {
    return link("driver");
  }

  /** The device's IOMMU group number, if the IOMMU is on. */
  public Optional<String> iommuGroup() {
    return link("iommu_group");
  }

  private Optional<String> link(String name) {
    try {
      return Optional.of(Files.readSymbolicLink(sysfs.resolve(name)).getFileName().toString());
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** The device's UIO node names ({@code uio0}) while a UIO driver is bound. */
  public List<String> uioNodes() {
    List<String> nodes = new ArrayList<>();
    Path uio = sysfs.resolve("uio");
    if (Files.isDirectory(uio)) {
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(uio, "uio*")) {
        entries.forEach(e -> nodes.add(e.getFileName().toString()));
      } catch (IOException e) {
        return nodes;
      }
    }
    nodes.sort(null);
    return nodes;
  }

  /**
   * This device, after checking that {@code driver} is bound to it.
   *
   * @throws LinuxInterfaceException ({@code DRIVER_BINDING}) naming the driver that is bound
   *     instead and the commands that rebind it
   */
  public PciDevice requireDriver(String driver) {
    Optional<String> bound = driver();
    if (bound.isPresent() && bound.get().equals(driver)) {
      return this;
    }
    throw new LinuxInterfaceException(
        LinuxInterfaceException.Missing.DRIVER_BINDING,
        "PCI device " + address + " (" + id() + ") is "
            + bound.map(d -> "bound to " + d).orElse("bound to no driver")
            + ", not " + driver + "; as root: " + bindCommand(driver));
  }

  /** The shell commands that bind this device to {@code driver} (through driver_override). */
  public String bindCommand(String driver) {
    String module = driver.replace('-', '_');
    return "modprobe " + module + "; echo " + driver + " > " + SYSFS.resolve(address) + "/driver_override;"
        + " echo " + address + " > " + SYSFS.resolve(address) + "/driver/unbind;"
        + " echo " + address + " > /sys/bus/pci/drivers_probe";
  }

  @Override
  public String toString() {
    return "PCI " + address + " " + id() + driver().map(d -> " (" + d + ")").orElse("");
  }
}
