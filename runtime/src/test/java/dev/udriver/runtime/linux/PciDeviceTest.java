package dev.udriver.runtime.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding PCI devices in a sysfs-shaped folder, and the errors when device or binding is missing. */
class PciDeviceTest {

  @TempDir Path root;

  private Path device(String address, String vendor, String device, String driver) throws Exception {
    Path dir = Files.createDirectories(root.resolve("devices").resolve(address));
    Files.writeString(dir.resolve("vendor"), vendor + "\n");
    Files.writeString(dir.resolve("device"), device + "\n");
    if (driver != null) {
      Path drv = Files.createDirectories(root.resolve("drivers").resolve(driver));
      Files.createSymbolicLink(dir.resolve("driver"), drv);
    }
    return dir;
  }

  @Test
  void findsByIdOrAddressAndReadsTheBinding() throws Exception {
    device("0000:00:01.0", "0x8086", "0x29c0", null);
    Path edu = device("0000:00:02.0", "0x1234", "0x11e8", "uio_pci_generic");
    Files.createDirectories(edu.resolve("uio/uio3"));
    Path devices = root.resolve("devices");

    PciDevice byId = PciDevice.find(devices, "1234:11E8");
    assertEquals("0000:00:02.0", byId.address());
    assertEquals("1234:11e8", byId.id());
    assertEquals(Optional.of("uio_pci_generic"), byId.driver());
    assertEquals(List.of("uio3"), byId.uioNodes());
    assertEquals("0000:00:02.0", PciDevice.find(devices, "00:02.0").address());
    assertEquals(byId.address(), byId.requireDriver(PciDevice.UIO_PCI_GENERIC).address());
    assertThrows(IllegalArgumentException.class, () -> PciDevice.find(devices, "edu"));
  }

  @Test
  void missingDeviceAndWrongBindingSayWhatIsThereAndHowToFixIt() throws Exception {
    device("0000:00:01.0", "0x8086", "0x29c0", null);
    device("0000:00:02.0", "0x1234", "0x11e8", "uio_pci_generic");
    Path devices = root.resolve("devices");

    LinuxInterfaceException none =
        assertThrows(LinuxInterfaceException.class, () -> PciDevice.find(devices, "10ee:7024"));
    assertEquals(LinuxInterfaceException.Missing.DEVICE_NODE, none.missing());
    assertTrue(none.getMessage().contains("0000:00:02.0 1234:11e8"), none.getMessage());

    LinuxInterfaceException wrong =
        assertThrows(
            LinuxInterfaceException.class,
            () -> PciDevice.find(devices, "1234:11e8").requireDriver(PciDevice.VFIO_PCI));
    assertEquals(LinuxInterfaceException.Missing.DRIVER_BINDING, wrong.missing());
    assertTrue(wrong.getMessage().contains("bound to uio_pci_generic, not vfio-pci"), wrong.getMessage());
    assertTrue(wrong.getMessage().contains("driver_override"), wrong.getMessage());

    LinuxInterfaceException unbound =
        assertThrows(
            LinuxInterfaceException.class,
            () -> PciDevice.find(devices, "8086:29c0").requireDriver(PciDevice.VFIO_PCI));
    assertTrue(unbound.getMessage().contains("bound to no driver"), unbound.getMessage());
  }
}
