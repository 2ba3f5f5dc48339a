package dev.udriver.samples.edu;

import dev.udriver.runtime.linux.MmioRegisters;

/**
 * 32-bit register access to a device's BAR: the mapped BAR ({@link #of(MmioRegisters)}) on real
 * hardware, a model of the device in tests.
 */
public interface Registers32 {

  int read32(long offset);

  void write32(long offset, int value);

  /** A mapped BAR (UIO resource file or VFIO region). */
  static Registers32 of(MmioRegisters bar) {
    return new Registers32() {
      @Override
      public int read32(long offset) {
        return bar.read32(offset);
      }

      @Override
      public void write32(long offset, int value) {
        bar.write32(offset, value);
      }
    };
  }
}
