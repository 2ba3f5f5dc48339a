package dev.udriver.runtime.linux.internal;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@code struct epoll_event { u32 events; u64 data; }}. The kernel header declares it {@code
 * packed} on x86-64 only (12 bytes, {@code data} at offset 4); elsewhere, arm64 included, it has
 * natural alignment (16 bytes, {@code data} at offset 8). See {@code include/uapi/linux/eventpoll.h}.
 */
public final class EpollEvent {

  /** Whether this JVM runs on x86-64, where the struct is packed. */
  public static final boolean PACKED = isX86_64(System.getProperty("os.arch", ""));

  public static final StructLayout LAYOUT = layout(PACKED);
  public static final long SIZE = LAYOUT.byteSize();
  private static final long DATA_OFFSET = PACKED ? 4 : 8;
  private static final java.lang.foreign.ValueLayout.OfLong DATA =
      PACKED ? JAVA_LONG.withByteAlignment(4) : JAVA_LONG;

  private EpollEvent() {}

  static boolean isX86_64(String arch) {
    return arch.equals("amd64") || arch.equals("x86_64");
  }

  /** The layout for one architecture: packed (x86-64) or naturally aligned (others). */
  public static StructLayout layout(boolean packed) {
    return packed
        ? MemoryLayout.structLayout(
            JAVA_INT.withName("events"), JAVA_LONG.withByteAlignment(4).withName("data"))
        : MemoryLayout.structLayout(
            JAVA_INT.withName("events"), MemoryLayout.paddingLayout(4), JAVA_LONG.withName("data"));
  }

  public static int events(MemorySegment array, int index) {
    return array.get(JAVA_INT, index * SIZE);
  }

  public static long data(MemorySegment array, int index) {
    return array.get(DATA, index * SIZE + DATA_OFFSET);
  }

  public static void set(MemorySegment array, int index, int events, long data) {
    array.set(JAVA_INT, index * SIZE, events);
    array.set(DATA, index * SIZE + DATA_OFFSET, data);
  }
}
