package dev.udriver.runtime.linux;

import static dev.udriver.runtime.linux.LinuxTestSupport.assumeLinux;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.linux.internal.EpollEvent;
import dev.udriver.runtime.linux.internal.Ioctl;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Missing devices and interfaces give errors that name what is missing; constants and layouts. */
class LinuxErrorsTest {

  @Test
  void missingUioNodeIsNamed() {
    assumeLinux();
    LinuxInterfaceException e =
        assertThrows(LinuxInterfaceException.class, () -> UioHardware.open("/dev/uio-none"));
    assertEquals(LinuxInterfaceException.Missing.DEVICE_NODE, e.missing());
    assertTrue(e.getMessage().contains("/dev/uio-none"), e.getMessage());
  }

  @Test
  void missingGpioChipIsNamed() {
    assumeLinux();
    LinuxInterfaceException e =
        assertThrows(
            LinuxInterfaceException.class,
            () ->
                GpioHardware.builder("/dev/gpiochip-none")
                    .line("button", 17, GpioHardware.Edge.FALLING, GpioHardware.Bias.PULL_UP,
                        Duration.ofMillis(5))
                    .build());
    assertEquals(LinuxInterfaceException.Missing.DEVICE_NODE, e.missing());
    assertTrue(e.getMessage().contains("/dev/gpiochip-none"), e.getMessage());
  }

  @Test
  void aFileThatIsNotAGpioChipIsAnInterfaceError() {
    assumeLinux();
    LinuxInterfaceException e =
        assertThrows(
            LinuxInterfaceException.class,
            () ->
                GpioHardware.builder("/dev/null")
                    .line("button", 1, GpioHardware.Edge.BOTH, GpioHardware.Bias.AS_IS,
                        Duration.ZERO)
                    .build());
    assertEquals(LinuxInterfaceException.Missing.KERNEL_INTERFACE, e.missing());
    assertTrue(e.getMessage().contains("GPIO_GET_CHIPINFO_IOCTL"), e.getMessage());
  }

  @Test
  void missingPciDeviceIsNamed() {
    assumeLinux();
    LinuxInterfaceException e =
        assertThrows(
            LinuxInterfaceException.class,
            () -> VfioHardware.open("0000:ff:1f.7", VfioHardware.Irq.MSIX, "queues", 4));
    assertEquals(LinuxInterfaceException.Missing.DEVICE_NODE, e.missing());
    assertTrue(e.getMessage().contains("0000:ff:1f.7"), e.getMessage());
  }

  @Test
  void ioctlNumbersMatchTheKernelHeaders() {
    // Values from include/uapi/linux/gpio.h and vfio.h, as listed in the kernel documentation.
    assertEquals(0x8044B401L, Ioctl.GPIO_GET_CHIPINFO);
    assertEquals(0xC250B407L, Ioctl.GPIO_V2_GET_LINE);
    assertEquals(0xC110B40DL, Ioctl.GPIO_V2_LINE_SET_CONFIG);
    assertEquals(0xC010B40EL, Ioctl.GPIO_V2_LINE_GET_VALUES);
    assertEquals(0x3B64L, Ioctl.VFIO_GET_API_VERSION);
    assertEquals(0x3B65L, Ioctl.VFIO_CHECK_EXTENSION);
    assertEquals(0x3B66L, Ioctl.VFIO_SET_IOMMU);
    assertEquals(0x3B68L, Ioctl.VFIO_GROUP_SET_CONTAINER);
    assertEquals(0x3B6AL, Ioctl.VFIO_GROUP_GET_DEVICE_FD);
    assertEquals(0x3B6DL, Ioctl.VFIO_DEVICE_GET_IRQ_INFO);
    assertEquals(0x3B6EL, Ioctl.VFIO_DEVICE_SET_IRQS);
  }

  @Test
  void epollEventLayoutPerArchitecture() {
    assertEquals(12, EpollEvent.layout(true).byteSize());
    assertEquals(16, EpollEvent.layout(false).byteSize());
    assertEquals(4, EpollEvent.layout(true).byteOffset(
        java.lang.foreign.MemoryLayout.PathElement.groupElement("data")));
    assertEquals(8, EpollEvent.layout(false).byteOffset(
        java.lang.foreign.MemoryLayout.PathElement.groupElement("data")));
  }

  @Test
  void vfioIrqSetIsAHeaderAndTheEventfds() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment set =
          VfioHardware.encodeIrqSet(
              arena, VfioHardware.IRQ_SET_DATA_EVENTFD | VfioHardware.IRQ_SET_ACTION_TRIGGER,
              VfioHardware.Irq.MSIX.index, 0, 3, new int[] {7, 8, 9});
      assertEquals(32, set.byteSize());
      assertEquals(32, set.get(ValueLayout.JAVA_INT, 0)); // argsz
      assertEquals(0x24, set.get(ValueLayout.JAVA_INT, 4));
      assertEquals(2, set.get(ValueLayout.JAVA_INT, 8));
      assertEquals(3, set.get(ValueLayout.JAVA_INT, 16));
      assertEquals(9, set.get(ValueLayout.JAVA_INT, 28));
      MemorySegment unmask =
          VfioHardware.encodeIrqSet(
              arena, VfioHardware.IRQ_SET_DATA_NONE | VfioHardware.IRQ_SET_ACTION_UNMASK, 0, 0, 1,
              null);
      assertEquals(20, unmask.get(ValueLayout.JAVA_INT, 0));
      assertEquals(0x11, unmask.get(ValueLayout.JAVA_INT, 4));
    }
  }
}
