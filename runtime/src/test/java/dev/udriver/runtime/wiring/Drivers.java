package dev.udriver.runtime.wiring;

import java.util.concurrent.atomic.AtomicInteger;

/** Driver classes for the wiring lookup tests; their wirings are written by hand beside them. */
public final class Drivers {
  private Drivers() {}

  /** Has a wiring, {@code Drivers_Wired_Wiring}; not final, so that a test can subclass it. */
  public static class Wired {
    public final AtomicInteger isrCalls = new AtomicInteger();
  }

  /** Has no wiring at all. */
  public static final class Unwired {}

  /** Its "wiring" class is not a DriverWiring. */
  public static final class NotAWiring {}

  /** Its wiring claims to wire another class. */
  public static final class Mismatched {}

  /** Its wiring's constructor throws. */
  public static final class Exploding {}
}
