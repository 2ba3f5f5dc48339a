package dev.udriver.processor.validate;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks each callback against its role's policy ({@link CallbackRole}): an instance method, not
 * private, not abstract, without type parameters, throwing only what the role allows, with the
 * role's return type and one of its parameter lists.
 */
public final class CallbackSignatureValidator {

  private final Types types;
  private final TypeMirror exception;
  private final TypeMirror runtimeException;
  private final TypeMirror error;

  public CallbackSignatureValidator(Types types, Elements elements) {
    this.types = types;
    this.exception = elements.getTypeElement("java.lang.Exception").asType();
    this.runtimeException = elements.getTypeElement("java.lang.RuntimeException").asType();
    this.error = elements.getTypeElement("java.lang.Error").asType();
  }

  public void validate(DriverModel model, ValidationReport.Builder report) {
    for (CallbackMethod callback : model.callbacks()) {
      validate(callback, report);
    }
  }

  private void validate(CallbackMethod callback, ValidationReport.Builder report) {
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
    for (TypeMirror thrown : method.getThrownTypes()) {
      if (role.checkedExceptionsAllowed()) {
        if (!types.isSubtype(thrown, exception)) {
          report.addError(
              Messages.callbackThrowsNonException(role, name, thrown.toString()), method);
        }
      } else if (isChecked(thrown)) {
        report.addError(Messages.callbackCheckedException(role, name, thrown.toString()), method);
      }
    }
    if (callback.shape().isEmpty()) {
      report.addError(Messages.signature(role, name), method);
    }
  }

  private boolean isChecked(TypeMirror thrown) {
    return !types.isSubtype(thrown, runtimeException) && !types.isSubtype(thrown, error);
  }
}
