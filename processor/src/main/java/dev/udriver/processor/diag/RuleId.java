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
  /** Driver code calls one of its own callback methods instead of going through the framework. */
  CALLBACK_NOT_INVOKED_DIRECTLY,
  /** The interrupt lock is acquired where the framework (or the caller) already holds it. */
  INTERRUPT_LOCK_NO_RECURSION,
  /** A path out of a method, exceptional paths included, still holds a lock the method acquired. */
  INTERRUPT_LOCK_BALANCED_ON_EXIT,
  /** A second acquire before the release, or a release without an acquire. */
  INTERRUPT_LOCK_STRICT_ALTERNATION,
  /** The result of {@code tryToAcquireInterruptLock()} does not guard the locked region. */
  TRY_ACQUIRE_RESULT_CHECKED,
  /** Code that any thread may run acquires the lock with a blocking call. */
  ARBITRARY_THREAD_USES_TRY_ACQUIRE,
  /** The ISR blocks, directly or through the driver's helpers. */
  ISR_NO_BLOCKING,
  /** Code that holds the interrupt lock blocks or performs I/O. */
  LOCKED_REGION_NO_BLOCKING_OR_IO,
  /** {@code queueWorkItemForIsr()} is called from code that is not the ISR. */
  QUEUE_WORKITEM_ONLY_FROM_ISR,
  /** {@code signalsInThisCall()} is called from code that is not the ISR. */
  SIGNALS_IN_CALL_ONLY_FROM_ISR,
  /** {@code queueWorkItemForIsr()} is called for an interrupt that declares no work item. */
  WORKITEM_DECLARED_IF_QUEUED,
  /** {@code enable()} or {@code disable()} is called from the ISR or under the interrupt lock. */
  NO_DISABLE_OR_WAIT_UNDER_LOCK,
  /** A method calls {@code disable()} without {@code enable()}, or the other way round. */
  EXPLICIT_DISABLE_ENABLE_BALANCED,
  /** An ISR that can never decline, on a shareable line, or that can never claim. */
  ISR_RETURN_CONTRACT,
  /** A {@code @HoldsInterruptLock} method is called where the lock may not be held. */
  HOLDING_CONTRACT,
  /** An {@code @IsrSafe} method blocks, or is also {@code @MayBlock}. */
  ISR_SAFE_CONTRACT,
  /** The device lock is taken where an interrupt lock is held (ISR, enable, disable, locked region). */
  DEVICE_LOCK_NOT_UNDER_INTERRUPT_LOCK,
  /** The device lock is left held on a way out, taken twice, or released without an acquire. */
  DEVICE_LOCK_BALANCED,
  /** An interrupt lock is taken while the device lock is held. */
  INTERRUPT_LOCK_NOT_UNDER_DEVICE_LOCK,
  /** {@code disable()} is called while the device lock is held. */
  NO_DISABLE_UNDER_DEVICE_LOCK,
  /** A callback refers to a type that no processing round produced. */
  UNRESOLVED_TYPE,
  /** The wiring (class files, or a source under {@code udriver.wiring=source}) was not written. */
  WIRING_NOT_WRITTEN,
  /** The processor itself failed; the message carries the stack trace. */
  PROCESSOR_FAILURE,
  /** Note: the compiler offers no syntax trees, so method-body checks are skipped. */
  TREES_UNAVAILABLE,
  /** Note (option {@code udriver.verbose}): a wiring class was written. */
  WIRING_WRITTEN,
  /** Note (option {@code udriver.verbose}): a driver waits for types of a later round. */
  DRIVER_DEFERRED,
  /** Note: how many findings {@code @SuppressWarnings("udriver:RULE_ID")} suppressed. */
  SUPPRESSED,
  /** The SARIF report named by option {@code udriver.sarif} could not be written. */
  SARIF_NOT_WRITTEN,
  /** A processor option ({@code -Audriver.<name>=<value>}) has a value the processor rejects. */
  INVALID_OPTION
}
