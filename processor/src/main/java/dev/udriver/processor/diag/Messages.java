package dev.udriver.processor.diag;

import dev.udriver.processor.model.CallbackRole;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every text the processor prints. Messages name the user's own methods and interrupts and, where
 * a declaration is wrong, spell out the declaration that would be accepted.
 */
public final class Messages {

  private Messages() {}

  // ---- callback signatures ----

  /** {@code ISR 'onRx' must be declared as boolean onRx(Interrupt interrupt) or ...}. */
  public static Message signature(CallbackRole role, String methodName) {
    List<String> accepted =
        role.shapes().stream()
            .map(shape -> shape.render(role.returnTypeName(), methodName))
            .collect(Collectors.toList());
    return new Message(
        role.signatureRule(),
        role.displayName() + " '" + methodName + "' must be declared as " + alternatives(accepted));
  }

  public static Message callbackStatic(CallbackRole role, String methodName) {
    return modifiers(role, methodName, "must be an instance method, not static");
  }

  public static Message callbackPrivate(CallbackRole role, String methodName) {
    return modifiers(
        role, methodName, "must not be private: the generated wiring calls it directly");
  }

  public static Message callbackAbstract(CallbackRole role, String methodName) {
    return modifiers(
        role, methodName, "must not be abstract: the generated wiring calls the driver's own body");
  }

  public static Message callbackTypeParameters(CallbackRole role, String methodName) {
    return modifiers(role, methodName, "must not declare type parameters");
  }

  public static Message callbackCheckedException(
      CallbackRole role, String methodName, String exceptionType) {
    return modifiers(
        role,
        methodName,
        "must not throw checked exception "
            + exceptionType
            + ": catch it in the callback, only enable and disable may fail with an exception");
  }

  public static Message callbackThrowsNonException(
      CallbackRole role, String methodName, String thrownType) {
    return modifiers(role, methodName, "may throw Exception and its subclasses, not " + thrownType);
  }

  private static Message modifiers(CallbackRole role, String methodName, String problem) {
    return new Message(
        RuleId.CALLBACK_MODIFIERS, role.displayName() + " '" + methodName + "' " + problem);
  }

  // ---- driver structure ----

  public static Message oneRolePerMethod(
      String methodName, CallbackRole first, CallbackRole second) {
    return new Message(
        RuleId.ONE_ROLE_PER_METHOD,
        "method '"
            + methodName
            + "' is annotated both @"
            + first.annotationSimpleName()
            + " and @"
            + second.annotationSimpleName()
            + ": a method serves one role");
  }

  public static Message duplicateIsr(String interruptName, String firstMethod, String duplicate) {
    return new Message(
        RuleId.ONE_ISR_PER_INTERRUPT,
        describe(interruptName)
            + " has two ISRs, '"
            + firstMethod
            + "' and '"
            + duplicate
            + "': every interrupt has exactly one ISR");
  }

  public static Message duplicateCallback(
      CallbackRole role, String interruptName, String firstMethod, String duplicate) {
    return new Message(
        RuleId.ONE_CALLBACK_PER_ROLE,
        describe(interruptName)
            + " has two "
            + role.displayName()
            + " callbacks, '"
            + firstMethod
            + "' and '"
            + duplicate
            + "': declare at most one");
  }

  public static Message missingIsr(CallbackRole role, String methodName, String interruptName) {
    return new Message(
        RuleId.MISSING_ISR,
        role.displayName()
            + " '"
            + methodName
            + "' serves "
            + describe(interruptName)
            + ", which has no ISR: declare an "
            + annotationUse(CallbackRole.ISR, interruptName)
            + " method");
  }

  public static Message unpairedEnableDisable(
      CallbackRole present, String methodName, String interruptName) {
    CallbackRole missing =
        present == CallbackRole.ENABLE ? CallbackRole.DISABLE : CallbackRole.ENABLE;
    return new Message(
        RuleId.ENABLE_DISABLE_PAIR,
        present.displayName()
            + " '"
            + methodName
            + "' of "
            + describe(interruptName)
            + " has no matching "
            + missing.displayName()
            + ": declare an "
            + annotationUse(missing, interruptName)
            + " method too, enable and disable come in pairs");
  }

  public static Message unnamedInterruptAmbiguous(
      CallbackRole role, String methodName, String driverName, List<String> namedInterrupts) {
    return new Message(
        RuleId.UNNAMED_INTERRUPT_AMBIGUOUS,
        role.displayName()
            + " '"
            + methodName
            + "' names no interrupt, but driver '"
            + driverName
            + "' declares named interrupts ("
            + String.join(", ", namedInterrupts)
            + "): name this one too, e.g. @"
            + role.annotationSimpleName()
            + "(\"...\")");
  }

  // ---- @InterruptPolicy ----

  public static Message specifiedProcessorsWithoutProcessors() {
    return new Message(
        RuleId.POLICY_PROCESSORS,
        "policy SPECIFIED_PROCESSORS needs the processors to serve the interrupt, e.g."
            + " processors = {0, 1}");
  }

  public static Message processorsWithoutSpecifiedProcessors(String policy) {
    return new Message(
        RuleId.POLICY_PROCESSORS,
        "processors are used only with policy = AffinityPolicy.SPECIFIED_PROCESSORS, not "
            + policy);
  }

  public static Message processorOutOfRange(int processor) {
    return new Message(
        RuleId.POLICY_PROCESSOR_RANGE,
        "processor " + processor + " is out of range 0..63 (one processor group)");
  }

  public static Message processorRepeated(int processor) {
    return new Message(
        RuleId.POLICY_PROCESSOR_REPEATED, "processor " + processor + " is listed more than once");
  }

  public static Message groupOutOfRange(int group) {
    return new Message(RuleId.POLICY_GROUP, "group " + group + " is out of range 0..65535");
  }

  public static Message policyOnNonIsr(String methodName) {
    return new Message(
        RuleId.POLICY_ON_NON_ISR,
        "@InterruptPolicy on '"
            + methodName
            + "' has no effect: it belongs on an @OnInterruptIsr method or on the driver class");
  }

  public static Message policyWithoutInterrupts(String typeName) {
    return new Message(
        RuleId.POLICY_WITHOUT_INTERRUPTS,
        "@InterruptPolicy on '"
            + typeName
            + "' has no effect: it declares no @OnInterruptIsr method");
  }

  // ---- driver class ----

  public static Message callbackInInterface(CallbackRole role, String methodName, String typeName) {
    return new Message(
        RuleId.DRIVER_NOT_INSTANTIABLE,
        role.displayName()
            + " '"
            + methodName
            + "' is declared in interface '"
            + typeName
            + "': driver callbacks belong to a class");
  }

  public static Message driverAbstract(String driverName) {
    return new Message(
        RuleId.DRIVER_NOT_INSTANTIABLE,
        "driver '"
            + driverName
            + "' must not be abstract: declare the callbacks in a concrete class");
  }

  public static Message driverInner(String driverName, String enclosingName) {
    return new Message(
        RuleId.DRIVER_NOT_INSTANTIABLE,
        "driver '"
            + driverName
            + "' must be a static nested class: an inner class needs an instance of '"
            + enclosingName
            + "'");
  }

  public static Message driverPrivate(String driverName, String privateTypeName) {
    String subject =
        driverName.equals(privateTypeName)
            ? "driver '" + driverName + "' must not be private"
            : "driver '"
                + driverName
                + "' must not be enclosed in private class '"
                + privateTypeName
                + "'";
    return new Message(
        RuleId.DRIVER_NOT_INSTANTIABLE,
        subject + ": its generated wiring in the same package refers to it");
  }

  public static Message driverTypeParameters(String driverName) {
    return new Message(
        RuleId.DRIVER_TYPE_PARAMETERS,
        "driver '"
            + driverName
            + "' must not declare type parameters: its wiring is looked up by class");
  }

  // ---- processing ----

  public static Message unresolvedTypes(String driverName, List<String> unresolved) {
    return new Message(
        RuleId.UNRESOLVED_TYPE,
        "driver '"
            + driverName
            + "' was not processed: "
            + String.join(", ", unresolved)
            + " could not be resolved");
  }

  public static Message wiringNotWritten(String wiringName, String driverName, String reason) {
    return new Message(
        RuleId.WIRING_NOT_WRITTEN,
        "could not write " + wiringName + " for driver '" + driverName + "': " + reason);
  }

  public static Message invalidOption(String option, String value, List<String> accepted) {
    return new Message(
        RuleId.INVALID_OPTION,
        "option "
            + option
            + " is '"
            + value
            + "'; accepted values: "
            + String.join(", ", accepted)
            + " (using "
            + accepted.get(0)
            + ")");
  }

  public static Message processorFailure(String stackTrace) {
    return new Message(
        RuleId.PROCESSOR_FAILURE,
        "the udriver processor failed; please report this with the stack trace:\n" + stackTrace);
  }

  public static Message treesUnavailable(String reason) {
    return new Message(
        RuleId.TREES_UNAVAILABLE,
        "method-body checks are skipped: this compiler does not offer com.sun.source.util.Trees ("
            + reason
            + ")");
  }

  public static Message wiringWritten(String wiringName, String driverName) {
    return new Message(
        RuleId.WIRING_WRITTEN, "wrote " + wiringName + " for driver '" + driverName + "'");
  }

  public static Message driverDeferred(String driverName, List<String> unresolved) {
    return new Message(
        RuleId.DRIVER_DEFERRED,
        "driver '"
            + driverName
            + "' waits for a later round: "
            + String.join(", ", unresolved)
            + " not resolved yet");
  }


  // ---- method bodies ----

  public static Message callbackInvokedDirectly(String methodName, String displayName) {
    return new Message(
        RuleId.CALLBACK_NOT_INVOKED_DIRECTLY,
        "'"
            + methodName
            + "' is the driver's "
            + displayName
            + " callback: do not call it yourself, the framework calls it with the interrupt lock"
            + " and sequencing it needs (use enable(), disable() or queueWorkItemForIsr())");
  }

  public static Message recursiveAcquire(String context, String call) {
    return new Message(
        RuleId.INTERRUPT_LOCK_NO_RECURSION,
        call
            + " in "
            + context
            + ", which already holds the interrupt lock: the lock is not recursive, this call"
            + " fails");
  }

  public static Message acquireOfPossiblyOtherLock(String context, String call, String lock) {
    return new Message(
        RuleId.INTERRUPT_LOCK_NO_RECURSION,
        call
            + " on "
            + lock
            + " in "
            + context
            + ", which already holds its interrupt's lock: if "
            + lock
            + " is that interrupt, the lock is not recursive and this call fails; if it is"
            + " another, two callbacks that take each other's locks deadlock. Take it in the work"
            + " item");
  }

  public static Message recursiveAcquireThrough(String context, String path) {
    return new Message(
        RuleId.INTERRUPT_LOCK_NO_RECURSION,
        "the interrupt lock is acquired again while "
            + context
            + " holds it: "
            + path
            + "; the lock is not recursive");
  }

  public static Message lockHeldOnReturn(String lock, String methodName) {
    return new Message(
        RuleId.INTERRUPT_LOCK_BALANCED_ON_EXIT,
        "the interrupt lock of "
            + lock
            + " taken here is still held when '"
            + methodName
            + "' returns on some path: release it on every path");
  }

  public static Message lockHeldOnException(String lock, String methodName, String thrower, long line) {
    return new Message(
        RuleId.INTERRUPT_LOCK_BALANCED_ON_EXIT,
        "the interrupt lock of "
            + lock
            + " taken here is still held when "
            + thrower
            + " (line "
            + line
            + ") throws out of '"
            + methodName
            + "': release it in a finally block or use try (var held = interrupt.lock())");
  }

  public static Message secondAcquire(String lock, String call) {
    return new Message(
        RuleId.INTERRUPT_LOCK_STRICT_ALTERNATION,
        call
            + " while this method already holds the interrupt lock of "
            + lock
            + " on some path: acquire and release strictly alternate");
  }

  public static Message releaseWithoutAcquire(String lock, String call) {
    return new Message(
        RuleId.INTERRUPT_LOCK_STRICT_ALTERNATION,
        call
            + " on a path where this method does not hold the interrupt lock of "
            + lock
            + ": release only what was acquired");
  }

  public static Message releaseOfFrameworkLock(String context, String call) {
    return new Message(
        RuleId.INTERRUPT_LOCK_STRICT_ALTERNATION,
        call
            + " in "
            + context
            + ": the framework holds this lock and releases it when the callback returns");
  }

  public static Message tryResultUnused() {
    return new Message(
        RuleId.TRY_ACQUIRE_RESULT_CHECKED,
        "the result of tryToAcquireInterruptLock() must guard the locked region: test it in an"
            + " if or keep it in a local boolean that an if tests");
  }

  public static Message releaseAfterFailedTry(String call) {
    return new Message(
        RuleId.TRY_ACQUIRE_RESULT_CHECKED,
        call
            + " on a path where tryToAcquireInterruptLock() returned false: release only when it"
            + " returned true");
  }

  public static Message acquireOnArbitraryThread(String call, String methodName) {
    return new Message(
        RuleId.ARBITRARY_THREAD_USES_TRY_ACQUIRE, onArbitraryThread(call, methodName));
  }

  /** {@link #acquireOnArbitraryThread} in a helper the application can call: it may be private. */
  public static Message acquireInNonPrivateHelper(String call, String methodName) {
    return new Message(
        RuleId.ARBITRARY_THREAD_USES_TRY_ACQUIRE,
        onArbitraryThread(call, methodName)
            + "; if only the driver's own callbacks call '"
            + methodName
            + "', make it private: a private helper runs in its callers' contexts");
  }

  private static String onArbitraryThread(String call, String methodName) {
    return call
        + " in '"
        + methodName
        + "', which any thread may run: wait-free code uses tryToAcquireInterruptLock() and"
        + " defers to the work item when it returns false";
  }

  public static Message isrBlocks(String path) {
    return new Message(
        RuleId.ISR_NO_BLOCKING,
        "the ISR must not block: " + path + "; defer the work to the work item");
  }

  public static Message isrSynchronized(String methodName) {
    return new Message(
        RuleId.ISR_NO_BLOCKING,
        "the ISR must not block: '"
            + methodName
            + "' is synchronized and waits whenever another thread holds its monitor; remove"
            + " synchronized and share data under the interrupt lock, which the ISR holds already");
  }

  public static Message lockedRegionSynchronized(String context) {
    return new Message(
        RuleId.LOCKED_REGION_NO_BLOCKING_OR_IO,
        "blocking while "
            + context
            + " holds the interrupt lock: it is synchronized and waits whenever another thread"
            + " holds its monitor; remove synchronized and share data under the interrupt lock,"
            + " which it holds already");
  }

  public static Message lockedRegionBlocks(String context, String path) {
    return new Message(
        RuleId.LOCKED_REGION_NO_BLOCKING_OR_IO,
        "blocking or I/O while "
            + context
            + " holds the interrupt lock: "
            + path
            + "; keep the locked region short and move the rest out of it");
  }

  public static Message queueOutsideIsr(String where) {
    return new Message(
        RuleId.QUEUE_WORKITEM_ONLY_FROM_ISR,
        "queueWorkItemForIsr() is called from "
            + where
            + ": only the ISR queues the work item");
  }

  public static Message signalsOutsideIsr(String where) {
    return new Message(
        RuleId.SIGNALS_IN_CALL_ONLY_FROM_ISR,
        "signalsInThisCall() is called from "
            + where
            + ": no ISR call is served there and it returns 0; read it in the ISR and hand the"
            + " count on under the interrupt lock");
  }

  public static Message queueWithoutWorkItem(String interruptName) {
    return new Message(
        RuleId.WORKITEM_DECLARED_IF_QUEUED,
        "queueWorkItemForIsr() for "
            + describe(interruptName)
            + ", which declares no work item: declare an "
            + annotationUse(CallbackRole.WORK_ITEM, interruptName)
            + " method");
  }

  public static Message enableDisableUnderLock(String call, String context, String path) {
    return new Message(
        RuleId.NO_DISABLE_OR_WAIT_UNDER_LOCK,
        call
            + " while "
            + context
            + " holds the interrupt lock"
            + (path.isEmpty() ? "" : " (" + path + ")")
            + ": it waits for the ISR and the callbacks, which need that lock");
  }

  public static Message disableNotReenabled(String methodName) {
    return new Message(
        RuleId.EXPLICIT_DISABLE_ENABLE_BALANCED,
        "'"
            + methodName
            + "' calls disable() but never enable(): pair them in one method, or suppress this"
            + " where another method re-enables");
  }

  public static Message enableNotDisabled(String methodName) {
    return new Message(
        RuleId.EXPLICIT_DISABLE_ENABLE_BALANCED,
        "'"
            + methodName
            + "' calls enable() without a disable() before it: pair them in one method, or"
            + " suppress this where another method disabled");
  }

  public static Message isrAlwaysClaims(String methodName) {
    return new Message(
        RuleId.ISR_RETURN_CONTRACT,
        "ISR '"
            + methodName
            + "' serves a shareable line (ShareVector.TRUE) but can only return true: return"
            + " false when the device did not raise the interrupt, so other ISRs on the line run");
  }

  public static Message isrReturnsQueueResult(String methodName) {
    return new Message(
        RuleId.ISR_RETURN_CONTRACT,
        "ISR '"
            + methodName
            + "' serves a shareable line (ShareVector.TRUE) and returns the result of"
            + " queueWorkItemForIsr(), which is false while the work item is already queued: the"
            + " interrupt would be reported as another device's. Queue the work item, then return"
            + " whether the device raised the interrupt");
  }

  public static Message isrNeverClaims(String methodName) {
    return new Message(
        RuleId.ISR_RETURN_CONTRACT,
        "ISR '"
            + methodName
            + "' can only return false: it never claims an interrupt, so its device is never"
            + " served");
  }

  public static Message holdingNotHeld(String callee, String caller) {
    return new Message(
        RuleId.HOLDING_CONTRACT,
        "'"
            + callee
            + "' is @HoldsInterruptLock but '"
            + caller
            + "' may call it without the interrupt lock: call it from the ISR, enable or disable,"
            + " or inside try (var held = interrupt.lock())");
  }

  public static Message holdingOnWorkItem(String methodName) {
    return new Message(
        RuleId.HOLDING_CONTRACT,
        "work item '"
            + methodName
            + "' cannot be @HoldsInterruptLock: the framework runs it without the interrupt lock");
  }

  public static Message isrSafeBlocks(String path) {
    return new Message(
        RuleId.ISR_SAFE_CONTRACT, "an @IsrSafe method must not block: " + path);
  }

  public static Message isrSafeAndMayBlock(String methodName) {
    return new Message(
        RuleId.ISR_SAFE_CONTRACT,
        "'" + methodName + "' is both @IsrSafe and @MayBlock: it can only be one");
  }

  // ---- summary and report ----

  public static Message suppressed(int count, String perRule) {
    return new Message(
        RuleId.SUPPRESSED,
        count
            + (count == 1 ? " finding" : " findings")
            + " suppressed with @SuppressWarnings(\"udriver:...\"): "
            + perRule);
  }

  public static Message sarifNotWritten(String path, String reason) {
    return new Message(
        RuleId.SARIF_NOT_WRITTEN, "could not write the SARIF report " + path + ": " + reason);
  }

  // ---- the device lock ----

  public static Message deviceLockUnderInterruptLock(String call, String context, String path) {
    return new Message(
        RuleId.DEVICE_LOCK_NOT_UNDER_INTERRUPT_LOCK,
        call
            + " while "
            + context
            + " holds the interrupt lock"
            + (path.isEmpty() ? "" : " (" + path + ")")
            + ": it waits for as long as an automatically serialized work item runs, and"
            + " deadlocks with one that takes the interrupt lock; take the device lock outside"
            + " the interrupt lock, e.g. in the work item");
  }

  public static Message deviceLockHeldOnReturn(String methodName) {
    return new Message(
        RuleId.DEVICE_LOCK_BALANCED,
        "the device lock taken here is still held when '"
            + methodName
            + "' returns on some path: release it on every path (try/finally or"
            + " try (var held = device.lock()))");
  }

  public static Message deviceLockHeldOnException(String methodName, String thrower, long line) {
    return new Message(
        RuleId.DEVICE_LOCK_BALANCED,
        "the device lock taken here is still held when "
            + thrower
            + " (line "
            + line
            + ") throws out of '"
            + methodName
            + "': release it in a finally block or use try (var held = device.lock())");
  }

  public static Message deviceLockSecondAcquire(String call) {
    return new Message(
        RuleId.DEVICE_LOCK_BALANCED,
        call
            + " while this method already holds the device lock on some path: the lock is not"
            + " recursive and the runtime throws DeviceRuleViolation");
  }

  public static Message deviceLockAcquireThroughHelper(String context, String path) {
    return new Message(
        RuleId.DEVICE_LOCK_BALANCED,
        context
            + " holds the device lock here and the call takes it again ("
            + path
            + "): the lock is not recursive and the runtime throws DeviceRuleViolation");
  }

  public static Message deviceLockReleaseWithoutAcquire(String call) {
    return new Message(
        RuleId.DEVICE_LOCK_BALANCED,
        call
            + " on a path where this method does not hold the device lock: release only what was"
            + " acquired (the runtime throws DeviceRuleViolation)");
  }

  public static Message deviceLockAcquireInSerializedWorkItem(String call, String context) {
    return new Message(
        RuleId.DEVICE_LOCK_BALANCED,
        call
            + " in "
            + context
            + ", which runs with automaticSerialization: the framework already holds the device"
            + " lock around it, and the lock is not recursive (the runtime throws"
            + " DeviceRuleViolation)");
  }

  public static Message deviceLockReleaseInSerializedWorkItem(String call, String context) {
    return new Message(
        RuleId.DEVICE_LOCK_BALANCED,
        call
            + " in "
            + context
            + ", which runs with automaticSerialization: the framework holds this lock and"
            + " releases it when the work item returns");
  }

  public static Message interruptLockUnderDeviceLock(String call, String context, String path) {
    return new Message(
        RuleId.INTERRUPT_LOCK_NOT_UNDER_DEVICE_LOCK,
        call
            + " while "
            + context
            + " holds the device lock"
            + (path.isEmpty() ? "" : " (" + path + ")")
            + ": the ISR, which holds the interrupt lock, may wait for the device lock, and the"
            + " two deadlock; take the interrupt lock outside the device lock");
  }

  public static Message disableUnderDeviceLock(String call, String context, String path) {
    return new Message(
        RuleId.NO_DISABLE_UNDER_DEVICE_LOCK,
        call
            + " while "
            + context
            + " holds the device lock"
            + (path.isEmpty() ? "" : " (" + path + ")")
            + ": it waits for the work items to finish, and an automatically serialized work item"
            + " waits for that lock (the runtime refuses the call)");
  }

  private static String describe(String interruptName) {
    return interruptName.isEmpty() ? "the unnamed interrupt" : "interrupt '" + interruptName + "'";
  }

  private static String annotationUse(CallbackRole role, String interruptName) {
    return "@"
        + role.annotationSimpleName()
        + (interruptName.isEmpty() ? "" : "(\"" + interruptName + "\")");
  }

  private static String alternatives(List<String> items) {
    if (items.size() == 1) {
      return items.get(0);
    }
    return String.join(", ", items.subList(0, items.size() - 1))
        + " or "
        + items.get(items.size() - 1);
  }
}
