package dev.udriver.runtime;

import java.util.Objects;

/**
 * A rule broken at run time, found by the verifier (see {@link DeviceNode.Builder#verifier}): the
 * Java counterpart of a WDF verifier break. Delivered to {@link DeviceListener#verifierFinding} and
 * counted in the interrupt's {@link InterruptStatistics#verifierFindings()}.
 *
 * @param rule a stable rule identifier, upper snake case: {@value #LOCK_HELD_AFTER_CALLBACK},
 *     {@value #LOCK_RELEASED_BY_CALLBACK}, {@value #LOCK_RECURSION}, {@value
 *     #RELEASE_WITHOUT_ACQUIRE}, {@value #LOCK_OUTSIDE_ENABLE_WINDOW}, {@value #ISR_OVER_BUDGET},
 *     {@value #QUEUE_WITHOUT_WORK_ITEM}, {@value #DOUBLE_ENABLE}, {@value #SIGNALS_OUTSIDE_ISR},
 *     {@value #DEVICE_LOCK_UNDER_INTERRUPT_LOCK}, {@value #INTERRUPT_LOCK_UNDER_DEVICE_LOCK}, {@value
 *     #DEVICE_LOCK_RECURSION}, {@value #DEVICE_LOCK_RELEASE_WITHOUT_ACQUIRE}, {@value
 *     #DEVICE_LOCK_HELD_AFTER_CALLBACK}, {@value #DEVICE_LOCK_RELEASED_BY_CALLBACK}
 * @param interrupt the interrupt concerned
 * @param callback the WDF name of the callback running on the offending thread ({@code
 *     OnInterruptIsr}, {@code OnInterruptWorkItem}, {@code OnInterruptEnable}, {@code
 *     OnInterruptDisable}), or {@code "(driver code)"} when the thread runs none
 * @param message what happened
 * @param stack where it happened: the stack of the offending call (for {@link #ISR_OVER_BUDGET},
 *     of the dispatcher after the ISR returned)
 */
public record VerifierFinding(
    String rule, Interrupt interrupt, String callback, String message, Throwable stack) {

  /** A work item returned holding an interrupt lock (SDV {@code WdfInterruptLock}). */
  public static final String LOCK_HELD_AFTER_CALLBACK = "INTERRUPT_LOCK_HELD_AFTER_CALLBACK";

  /** A callback released the interrupt lock the framework holds for it. */
  public static final String LOCK_RELEASED_BY_CALLBACK = "INTERRUPT_LOCK_RELEASED_BY_CALLBACK";

  /** A thread acquired an interrupt lock it already holds (WDF: assert, then deadlock). */
  public static final String LOCK_RECURSION = "INTERRUPT_LOCK_NO_RECURSION";

  /** A thread released an interrupt lock it does not hold. */
  public static final String RELEASE_WITHOUT_ACQUIRE = "INTERRUPT_LOCK_RELEASE_WITHOUT_ACQUIRE";

  /**
   * The interrupt lock was used before the enable callback or after the disable callback (UMDF:
   * "not allowed before OnInterruptEnable or after OnInterruptDisable"; KMDF: "Can't synchronize
   * when WDFINTERRUPT isn't connected").
   */
  public static final String LOCK_OUTSIDE_ENABLE_WINDOW = "INTERRUPT_LOCK_OUTSIDE_ENABLE_WINDOW";

  /** An ISR ran longer than the budget (default 25 µs, the WDF guideline). */
  public static final String ISR_OVER_BUDGET = "ISR_OVER_BUDGET";

  /** {@code queueWorkItemForIsr()} on an interrupt without a work item (WDF bug-checks). */
  public static final String QUEUE_WITHOUT_WORK_ITEM = "QUEUE_WORK_ITEM_WITHOUT_CALLBACK";

  /** {@code enable()} on an enabled interrupt (UMDF 2.19: "Multiple interrupt connection attempts"). */
  public static final String DOUBLE_ENABLE = "INTERRUPT_DOUBLE_ENABLE";

  /**
   * {@link Interrupt#signalsInThisCall()} where that interrupt's ISR is not running on the calling
   * thread: it returns 0, which a driver counting events would take for none. The same id as the
   * processor's compile-time rule.
   */
  public static final String SIGNALS_OUTSIDE_ISR = "SIGNALS_IN_CALL_ONLY_FROM_ISR";

  /**
   * The device's lock ({@link Device#acquireLock()}) acquired while holding an interrupt lock (in an
   * ISR, an enable or disable callback, a locked region): the holder waits for as long as an
   * automatically serialized work item runs, and deadlocks with one that takes the interrupt lock.
   * Reported for the interrupt whose lock is held; the acquire goes ahead.
   */
  public static final String DEVICE_LOCK_UNDER_INTERRUPT_LOCK = "DEVICE_LOCK_UNDER_INTERRUPT_LOCK";

  /**
   * An interrupt lock acquired (blocking) while holding the device's lock, as an automatically
   * serialized work item does when it takes the interrupt lock (WDF: such a work item must not call
   * {@code WdfInterruptAcquireLock}): the other order of {@link #DEVICE_LOCK_UNDER_INTERRUPT_LOCK}.
   */
  public static final String INTERRUPT_LOCK_UNDER_DEVICE_LOCK = "INTERRUPT_LOCK_UNDER_DEVICE_LOCK";

  /** A callback acquired the device's lock on a thread that holds it (WDF: verifier assert). */
  public static final String DEVICE_LOCK_RECURSION = "DEVICE_LOCK_NO_RECURSION";

  /** A callback released the device's lock on a thread that does not hold it. */
  public static final String DEVICE_LOCK_RELEASE_WITHOUT_ACQUIRE = "DEVICE_LOCK_RELEASE_WITHOUT_ACQUIRE";

  /** A callback returned holding the device's lock, which the runtime released for it. */
  public static final String DEVICE_LOCK_HELD_AFTER_CALLBACK = "DEVICE_LOCK_HELD_AFTER_CALLBACK";

  /** An automatically serialized work item released the device's lock the framework holds for it. */
  public static final String DEVICE_LOCK_RELEASED_BY_CALLBACK = "DEVICE_LOCK_RELEASED_BY_CALLBACK";

  /** Code outside any callback, as named in {@link #callback()}. */
  public static final String OUTSIDE_CALLBACKS = "(driver code)";

  public VerifierFinding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(interrupt, "interrupt");
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(stack, "stack");
  }

  @Override
  public String toString() {
    return "VerifierFinding[" + rule + " on interrupt " + interrupt + " in " + callback + ": "
        + message + "]";
  }
}
