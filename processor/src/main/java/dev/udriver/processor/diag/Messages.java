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
