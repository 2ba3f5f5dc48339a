package dev.udriver.runtime.linux.internal;

/**
 * ioctl request numbers, computed with the asm-generic {@code _IOC} formula (x86-64 and arm64):
 * {@code dir << 30 | size << 16 | type << 8 | nr}, dir 0 none, 1 write, 2 read, 3 read-write.
 */
public final class Ioctl {

  private static final int NONE = 0;
  private static final int WRITE = 1;
  private static final int READ = 2;

  private Ioctl() {}

  public static long ioc(int dir, int type, int nr, int size) {
    return ((long) dir << 30) | ((long) size << 16) | ((long) type << 8) | nr;
  }

  public static long io(int type, int nr) {
    return ioc(NONE, type, nr, 0);
  }

  public static long ior(int type, int nr, int size) {
    return ioc(READ, type, nr, size);
  }

  public static long iow(int type, int nr, int size) {
    return ioc(WRITE, type, nr, size);
  }

  public static long iowr(int type, int nr, int size) {
    return ioc(READ | WRITE, type, nr, size);
  }

  // include/uapi/linux/gpio.h: GPIO_V2_GET_LINE_IOCTL _IOWR(0xB4, 0x07, struct gpio_v2_line_request)
  public static final long GPIO_GET_CHIPINFO = ior(0xB4, 0x01, 68);
  public static final long GPIO_V2_GET_LINE = iowr(0xB4, 0x07, 592);
  public static final long GPIO_V2_LINE_SET_CONFIG = iowr(0xB4, 0x0D, 272);
  public static final long GPIO_V2_LINE_GET_VALUES = iowr(0xB4, 0x0E, 16);

  // include/uapi/linux/vfio.h: all _IO(VFIO_TYPE ';', VFIO_BASE 100 + n), sized by argsz.
  private static final int VFIO_TYPE = ';';
  private static final int VFIO_BASE = 100;
  public static final long VFIO_GET_API_VERSION = io(VFIO_TYPE, VFIO_BASE);
  public static final long VFIO_CHECK_EXTENSION = io(VFIO_TYPE, VFIO_BASE + 1);
  public static final long VFIO_SET_IOMMU = io(VFIO_TYPE, VFIO_BASE + 2);
  public static final long VFIO_GROUP_GET_STATUS = io(VFIO_TYPE, VFIO_BASE + 3);
  public static final long VFIO_GROUP_SET_CONTAINER = io(VFIO_TYPE, VFIO_BASE + 4);
  public static final long VFIO_GROUP_GET_DEVICE_FD = io(VFIO_TYPE, VFIO_BASE + 6);
  public static final long VFIO_DEVICE_GET_INFO = io(VFIO_TYPE, VFIO_BASE + 7);
  public static final long VFIO_DEVICE_GET_REGION_INFO = io(VFIO_TYPE, VFIO_BASE + 8);
  public static final long VFIO_DEVICE_GET_IRQ_INFO = io(VFIO_TYPE, VFIO_BASE + 9);
  public static final long VFIO_DEVICE_SET_IRQS = io(VFIO_TYPE, VFIO_BASE + 10);
}
