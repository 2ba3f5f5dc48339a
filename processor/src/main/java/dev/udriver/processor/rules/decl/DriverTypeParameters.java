package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.validate.ValidationReport;

/** The driver class declares no type parameters: its wiring serves one class. */
@RuleInfo(
    id = RuleId.DRIVER_TYPE_PARAMETERS,
    summary = "A driver class declares no type parameters.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    anchors = {"RTIC: the application and its tasks are not generic"})
public final class DriverTypeParameters extends DeclarationRule {

  @Override
  public boolean appliesToInterfaces() {
    return true;
  }

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    if (!model.type().getKind().isInterface() && !model.type().getTypeParameters().isEmpty()) {
      report.addError(Messages.driverTypeParameters(model.simpleName()), model.type());
    }
  }
}
