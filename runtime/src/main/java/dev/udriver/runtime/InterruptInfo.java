package dev.udriver.runtime;

/**
 * What the device assigned to an interrupt object: {@code WDF_INTERRUPT_INFO}.
 *
 * <p>Meaningful between prepare hardware and release hardware; after release every field is zero
 * except {@link #messageNumber()}, as WDF's {@code RevokeResources} leaves it. {@code Size},
 * {@code Reserved1} and {@code Reserved2} have no Java counterpart.
 *
 * @param targetProcessorSet processors the interrupt may be served on ({@code KAFFINITY})
 * @param messageNumber the creation index of the interrupt object within its device
 * @param vector the assigned vector; 0 when no resource is assigned
 * @param irql always 0 ({@code PASSIVE_LEVEL}): every udriver callback runs on a thread
 * @param mode level-sensitive or latched (edge and MSI)
 * @param polarity never written by WDF, kept for layout fidelity
 * @param messageSignaled true for MSI
 * @param shareDisposition whether the line is shared
 * @param group the processor group
 */
public record InterruptInfo(
    long targetProcessorSet,
    int messageNumber,
    int vector,
    int irql,
    Mode mode,
    Polarity polarity,
    boolean messageSignaled,
    ShareDisposition shareDisposition,
    int group) {

  /** {@code KINTERRUPT_MODE}. */
  public enum Mode {
    LEVEL_SENSITIVE,
    LATCHED
  }

  /** {@code WDF_INTERRUPT_POLARITY}. */
  public enum Polarity {
    UNKNOWN,
    ACTIVE_HIGH,
    ACTIVE_LOW
  }

  /** {@code CM_SHARE_DISPOSITION}, as WDF reports it. */
  public enum ShareDisposition {
    UNDETERMINED,
    DEVICE_EXCLUSIVE,
    DRIVER_EXCLUSIVE,
    SHARED
  }

  /** The info of an object without resources: all zero except the message number. */
  public static InterruptInfo unassigned(int messageNumber) {
    return new InterruptInfo(
        0L, messageNumber, 0, 0, Mode.LEVEL_SENSITIVE, Polarity.UNKNOWN, false,
        ShareDisposition.UNDETERMINED, 0);
  }
}
