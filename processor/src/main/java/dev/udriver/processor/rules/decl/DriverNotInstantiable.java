package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.validate.ValidationReport;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.TypeElement;

/**
 * The driver is a class the application can create and the generated wiring (a top-level class in
 * the same package) can name: not an interface, not abstract, not inner, not private or inside a
 * private type.
 */
@RuleInfo(
    id = RuleId.DRIVER_NOT_INSTANTIABLE,
    summary =
        "A driver is a concrete class, top level or static nested, not private and not inside a"
            + " private type.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    anchors = {
      "SDV: function role type declarations name the driver's entry points",
      "WUDF_INTERRUPT_CONFIG: callbacks of an object the driver created"
    })
public final class DriverNotInstantiable extends DeclarationRule {

  @Override
  public boolean appliesToInterfaces() {
    return true;
  }

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
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
  }
}
