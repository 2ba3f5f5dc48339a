package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.validate.ValidationReport;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeMirror;

/**
 * A callback is an instance method, not private, not abstract, without type parameters; only enable
 * and disable may throw checked exceptions (subclasses of {@code Exception}).
 */
@RuleInfo(
    id = RuleId.CALLBACK_MODIFIERS,
    summary =
        "A callback is an instance method, not private, not abstract, without type parameters,"
            + " throwing checked exceptions only from enable and disable.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R1",
    anchors = {
      "WUDF_INTERRUPT_CONFIG: the framework calls the driver's callbacks directly",
      "RTIC: tasks must not be generic",
      "Spin-lock guidance: never raise exceptions while holding a spin lock"
    },
    altNames = {"CALLBACK_SIGNATURE"})
public final class CallbackModifiers extends DeclarationRule {

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    // Looked up only for a driver whose callbacks throw: most declare nothing.
    TypeMirror exception = null;
    TypeMirror runtimeException = null;
    TypeMirror error = null;
    for (CallbackMethod callback : model.callbacks()) {
      ExecutableElement method = callback.method();
      CallbackRole role = callback.role();
      String name = callback.methodName();
      Set<Modifier> modifiers = method.getModifiers();
      if (modifiers.contains(Modifier.STATIC)) {
        report.addError(Messages.callbackStatic(role, name), method);
      }
      if (modifiers.contains(Modifier.PRIVATE)) {
        report.addError(Messages.callbackPrivate(role, name), method);
      }
      if (modifiers.contains(Modifier.ABSTRACT)) {
        report.addError(Messages.callbackAbstract(role, name), method);
      }
      if (!method.getTypeParameters().isEmpty()) {
        report.addError(Messages.callbackTypeParameters(role, name), method);
      }
      if (exception == null && !method.getThrownTypes().isEmpty()) {
        exception = env.elements().getTypeElement("java.lang.Exception").asType();
        runtimeException = env.elements().getTypeElement("java.lang.RuntimeException").asType();
        error = env.elements().getTypeElement("java.lang.Error").asType();
      }
      for (TypeMirror thrown : method.getThrownTypes()) {
        if (role.checkedExceptionsAllowed()) {
          if (!env.types().isSubtype(thrown, exception)) {
            report.addError(
                Messages.callbackThrowsNonException(role, name, thrown.toString()), method);
          }
        } else if (!env.types().isSubtype(thrown, runtimeException)
            && !env.types().isSubtype(thrown, error)) {
          report.addError(
              Messages.callbackCheckedException(role, name, thrown.toString()), method);
        }
      }
    }
  }
}
