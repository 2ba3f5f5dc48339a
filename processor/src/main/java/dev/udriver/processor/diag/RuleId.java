package dev.udriver.processor.diag;

/**
 * Stable identifiers of everything the processor reports. Each diagnostic prints its id in
 * brackets ({@code [udriver:ISR_SIGNATURE] ...}), so build logs, issue reports and tests can name a
 * rule without quoting its wording. Ids are never renamed or reused.
 */
public enum RuleId {
  /** An ISR's return type or parameter list is not one of the accepted shapes. */
  ISR_SIGNATURE,
  /** A work item's return type or parameter list is not one of the accepted shapes. */
  WORK_ITEM_SIGNATURE,
  /** An enable callback's return type or parameter list is not one of the accepted shapes. */
  ENABLE_SIGNATURE,
  /** A disable callback's return type or parameter list is not one of the accepted shapes. */
  DISABLE_SIGNATURE,
  /** A callback is static, private or abstract, has type parameters or throws what it may not. */
  CALLBACK_MODIFIERS,
  /** A method carries more than one of the four role annotations. */
  ONE_ROLE_PER_METHOD,
  /** One interrupt name has more than one ISR. */
  ONE_ISR_PER_INTERRUPT,
  /** One interrupt name has more than one work item, enable or disable callback. */
  ONE_CALLBACK_PER_ROLE,
  /** A work item, enable or disable callback names an interrupt that has no ISR. */
  MISSING_ISR,
  /** An interrupt declares enable without disable, or disable without enable. */
  ENABLE_DISABLE_PAIR,
  /** A callback names no interrupt ({@code ""}) in a driver that also names interrupts. */
  UNNAMED_INTERRUPT_AMBIGUOUS,
  /** {@code processors} is empty with SPECIFIED_PROCESSORS, or set with another policy. */
  POLICY_PROCESSORS,
  /** A processor number is outside 0..63. */
  POLICY_PROCESSOR_RANGE,
  /** A processor number appears more than once. */
  POLICY_PROCESSOR_REPEATED,
  /** The processor group is outside 0..65535. */
  POLICY_GROUP,
  /** {@code @InterruptPolicy} sits on a method that is not an ISR. */
  POLICY_ON_NON_ISR,
  /** {@code @InterruptPolicy} sits on a class that declares no ISR. */
  POLICY_WITHOUT_INTERRUPTS,
  /** The driver class cannot be created as a plain object, or callbacks sit in an interface. */
  DRIVER_NOT_INSTANTIABLE,
  /** The driver class declares type parameters. */
  DRIVER_TYPE_PARAMETERS,
  /** A callback refers to a type that no processing round produced. */
  UNRESOLVED_TYPE,
  /** The wiring source file could not be written. */
  WIRING_NOT_WRITTEN,
  /** The processor itself failed; the message carries the stack trace. */
  PROCESSOR_FAILURE,
  /** Note: the compiler offers no syntax trees, so method-body checks are skipped. */
  TREES_UNAVAILABLE,
  /** Note (option {@code udriver.verbose}): a wiring class was written. */
  WIRING_WRITTEN,
  /** Note (option {@code udriver.verbose}): a driver waits for types of a later round. */
  DRIVER_DEFERRED
}
