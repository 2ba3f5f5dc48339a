package dev.udriver.runtime.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * A block of 32-bit device registers in memory: a region {@code mmap}'d from {@code /dev/uioN}
 * or a VFIO BAR, or plain memory standing in for one in tests. Accesses are volatile (uncached
 * device memory is ordered; the JIT may neither elide nor reorder them). Offsets are in bytes.
 */
public final class MmioRegisters {

  private static final VarHandle INT =
      ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

  private final MemorySegment segment;

  public MmioRegisters(MemorySegment segment) {
    this.segment = segment;
  }

  public int read32(long offset) {
    return (int) INT.getVolatile(segment, offset);
  }

  public void write32(long offset, int value) {
    INT.setVolatile(segment, offset, value);
  }

  /** Atomically sets bits (the device side of a stand-in raising status bits). */
  public void setBits(long offset, int bits) {
    int before = (int) INT.getAndBitwiseOr(segment, offset, bits);
  }

  /** Atomically clears bits (write-one-to-clear emulation). */
  public void clearBits(long offset, int bits) {
    int before = (int) INT.getAndBitwiseAnd(segment, offset, ~bits);
  }

  public long sizeBytes() {
    return segment.byteSize();
  }

  /** The mapped memory itself. */
  public MemorySegment segment() {
    return segment;
  }
}
