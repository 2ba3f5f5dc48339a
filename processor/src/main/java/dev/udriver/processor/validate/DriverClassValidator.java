package dev.udriver.processor.validate;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.DriverModel;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;

/**
 * Checks that the driver type is a class the application can create and the generated wiring (a
 * top-level class in the same package) can name.
 *
 * <p>Accepted: top-level and static nested classes, enums and records that are not private and not
 * enclosed in a private type. Rejected: callbacks declared in an interface or annotation type,
 * abstract classes (the wiring would call methods of a class nobody instantiates as such), inner
 * classes (an instance needs an enclosing instance), and generic classes (the wiring serves one
 * {@code Class}).
 */
public final class DriverClassValidator {

  public void validate(DriverModel model, ValidationReport.Builder report) {
    TypeElement type = model.type();
    String name = model.simpleName();
    if (type.getKind().isInterface()) {
      for (CallbackMethod callback : model.callbacks()) {
        report.addError(
            Messages.callbackInInterface(callback.role(), callback.methodName(), name),
            callback.method(),
            callback.annotation());
      }
      return;
    }
    if (type.getKind() == ElementKind.CLASS && type.getModifiers().contains(Modifier.ABSTRACT)) {
      report.addError(Messages.driverAbstract(name), type);
    }
    if (type.getKind() == ElementKind.CLASS
        && type.getNestingKind() == NestingKind.MEMBER
        && !type.getModifiers().contains(Modifier.STATIC)) {
      report.addError(
          Messages.driverInner(name, type.getEnclosingElement().getSimpleName().toString()), type);
    }
    for (Element enclosing = type;
        enclosing instanceof TypeElement;
        enclosing = enclosing.getEnclosingElement()) {
      if (enclosing.getModifiers().contains(Modifier.PRIVATE)) {
        report.addError(Messages.driverPrivate(name, enclosing.getSimpleName().toString()), type);
        break;
      }
    }
    if (!type.getTypeParameters().isEmpty()) {
      report.addError(Messages.driverTypeParameters(name), type);
    }
  }
}
