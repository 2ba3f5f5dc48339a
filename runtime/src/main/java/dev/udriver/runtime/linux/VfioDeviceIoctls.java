package dev.udriver.runtime.linux;

import dev.udriver.runtime.linux.internal.Libc;
import java.lang.foreign.MemorySegment;

/**
 * The ioctls {@link VfioHardware} issues on an open device descriptor ({@code
 * VFIO_DEVICE_GET_REGION_INFO}, {@code VFIO_DEVICE_SET_IRQS}): the kernel's, or those of a
 * stand-in that answers them as vfio-pci does, for tests without a device bound to vfio-pci.
 */
interface VfioDeviceIoctls {

  /**
   * The ioctl's non-negative result.
   *
   * @throws dev.udriver.runtime.linux.internal.NativeCallException naming {@code what}
   */
  int ioctl(long request, MemorySegment argument, String what);

  /** For the dispatcher (the INTx unmask after each ISR): the result, or -1; no allocation. */
  int ioctlHot(long request, MemorySegment argument);

  /** The kernel's ioctls on {@code deviceFd}. */
  static VfioDeviceIoctls kernel(int deviceFd) {
    return new VfioDeviceIoctls() {
      @Override
      public int ioctl(long request, MemorySegment argument, String what) {
        return Libc.ioctl(deviceFd, request, argument, what);
      }

      @Override
      public int ioctlHot(long request, MemorySegment argument) {
        return Libc.ioctlHot(deviceFd, request, argument);
      }
    };
  }
}
