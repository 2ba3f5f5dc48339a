package dev.udriver.annotation;

/**
 * Relative priority of an interrupt: WDF's {@code WDF_INTERRUPT_PRIORITY} without its
 * {@code WdfIrqPriorityUndefined} (0), which {@code WdfInterruptSetPolicy} rejects. WDF values are
 * {@code ordinal() + 1}: {@code WdfIrqPriorityLow = 1}, {@code Normal = 2}, {@code High = 3}.
 *
 * <p>In udriver, pending interrupts on one dispatcher are served HIGH before NORMAL before LOW.
 */
public enum InterruptPriority {
  /** {@code WdfIrqPriorityLow}. */
  LOW,
  /** {@code WdfIrqPriorityNormal}: the default. */
  NORMAL,
  /** {@code WdfIrqPriorityHigh}. */
  HIGH
}
