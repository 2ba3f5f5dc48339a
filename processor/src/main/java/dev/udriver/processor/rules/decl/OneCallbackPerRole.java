package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.InterruptModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.validate.ValidationReport;
import java.util.List;

/** An interrupt has at most one work item, one enable and one disable callback. */
@RuleInfo(
    id = RuleId.ONE_CALLBACK_PER_ROLE,
    summary = "An interrupt has at most one work item, one enable and one disable callback.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R2",
    anchors = {
      "WUDF_INTERRUPT_CONFIG: one OnInterruptWorkItem, OnInterruptEnable, OnInterruptDisable",
      "SDV: duplicate entry points for a function role type"
    },
    altNames = {"CALLBACK_ROLE_UNIQUE"})
public final class OneCallbackPerRole extends DeclarationRule {

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    for (InterruptModel interrupt : model.interrupts()) {
      for (CallbackRole role : CallbackRole.values()) {
        if (role == CallbackRole.ISR) {
          continue;
        }
        List<CallbackMethod> inRole = interrupt.callbacks(role);
        for (int i = 1; i < inRole.size(); i++) {
          CallbackMethod duplicate = inRole.get(i);
          report.addError(
              Messages.duplicateCallback(
                  role, interrupt.name(), inRole.get(0).methodName(), duplicate.methodName()),
              duplicate.method(),
              duplicate.annotation());
        }
      }
    }
  }
}
