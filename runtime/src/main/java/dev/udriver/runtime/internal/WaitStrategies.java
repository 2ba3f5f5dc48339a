package dev.udriver.runtime.internal;

/** Chooses how dispatchers wait by default. */
public final class WaitStrategies {

  private WaitStrategies() {}

  /**
   * The wait of a dispatcher whose device names none: parking, which serves every source that
   * signals its interrupt from a thread (simulated hardware, software sources).
   */
  public static WaitStrategy.Factory defaultDispatcherWait() {
    return ParkWaitStrategy.FACTORY;
  }
}
