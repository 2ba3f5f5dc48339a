package dev.udriver.benchmarks;

import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.runtime.Interrupt;

/** One of four driver classes served by one dispatcher in the benchmarks. */
public class DriverA {
  long interrupts;

  @OnInterruptIsr
  public boolean onInterrupt(Interrupt interrupt) {
    interrupts++;
    return true;
  }
}
