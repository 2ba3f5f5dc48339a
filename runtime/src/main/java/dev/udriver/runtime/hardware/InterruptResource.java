package dev.udriver.runtime.hardware;

/**
 * An interrupt resource the device is granted at start: the udriver counterpart of a translated
 * {@code CmResourceTypeInterrupt} descriptor.
 */
public sealed interface InterruptResource {

  /** The vector; never 0 (0 means "no resource" in {@code WDF_INTERRUPT_INFO}). */
  int vector();

  /** Processors the resource may be served on ({@code KAFFINITY}); 0 = any. */
  long affinity();

  /** How a line-based interrupt signals. */
  enum Trigger {
    /** Latched: each edge is one interrupt; edges during the ISR coalesce into one more call. */
    EDGE,
    /** Level-sensitive: the line stays asserted, and keeps interrupting, until the ISR clears it. */
    LEVEL
  }

  /**
   * A line-based interrupt.
   *
   * @param trigger edge or level
   * @param shareable whether the bus lets other devices share the line (level lines only)
   */
  record Line(Trigger trigger, boolean shareable, int vector, long affinity)
      implements InterruptResource {
    public Line {
      checkVector(vector);
      if (shareable && trigger == Trigger.EDGE) {
        throw new IllegalArgumentException("An edge-triggered line cannot be shared");
      }
    }
  }

  /** One message of a message-signaled (MSI) interrupt; never shared. */
  record Message(int vector, long affinity) implements InterruptResource {
    public Message {
      checkVector(vector);
    }
  }

  private static void checkVector(int vector) {
    if (vector <= 0) {
      throw new IllegalArgumentException("vector must be positive, was " + vector);
    }
  }
}
