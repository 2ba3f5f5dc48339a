package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.validate.ValidationReport;

/**
 * The shared check of the four signature rules: a callback's return type and parameters match one
 * of its role's accepted shapes ({@link CallbackRole#shapes()}), reported on the method.
 */
abstract class SignatureRule extends DeclarationRule {

  private final CallbackRole role;

  SignatureRule(CallbackRole role) {
    this.role = role;
  }

  @Override
  public final void check(DriverModel model, Env env, ValidationReport.Builder report) {
    for (CallbackMethod callback : model.callbacks()) {
      if (callback.role() == role && callback.shape().isEmpty()) {
        report.addError(Messages.signature(role, callback.methodName()), callback.method());
      }
    }
  }
}
