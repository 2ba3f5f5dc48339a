package dev.udriver.annotation;

/**
 * Whether an interrupt line may be shared with other devices: WDF's {@code WDF_TRI_STATE} as used by
 * {@code WUDF_INTERRUPT_CONFIG.ShareVector}. Constants keep WDF's order and values
 * ({@code WdfFalse = 0}, {@code WdfTrue = 1}, {@code WdfUseDefault = 2}).
 */
public enum ShareVector {
  /** {@code WdfFalse}: the line is exclusive to this device. */
  FALSE,
  /**
   * {@code WdfTrue}: the line may be shared. Only level-triggered lines can be shared; the ISR of a
   * shareable line must return {@code false} for an interrupt its device did not raise.
   */
  TRUE,
  /**
   * {@code WdfUseDefault}: a level-triggered line takes the bus's value, anything else is exclusive.
   * This is what {@code WUDF_INTERRUPT_CONFIG_INIT} sets.
   */
  USE_DEFAULT
}
