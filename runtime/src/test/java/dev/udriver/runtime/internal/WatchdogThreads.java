package dev.udriver.runtime.internal;

import dev.udriver.runtime.Interrupt;

/** Test access to the name of the watchdog thread that watches a device. */
public final class WatchdogThreads {

  private WatchdogThreads() {}

  /** The name of the watchdog thread of the dispatcher pool that serves {@code interrupt}'s device. */
  public static String nameFor(Interrupt interrupt) {
    return ((InterruptObject) interrupt).device().pool().watchdogThreadName();
  }
}
