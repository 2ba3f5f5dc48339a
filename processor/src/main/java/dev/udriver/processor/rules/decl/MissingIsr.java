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

/** A work item, enable or disable callback names an interrupt that has an ISR. */
@RuleInfo(
    id = RuleId.MISSING_ISR,
    summary = "A work item, enable or disable callback serves an interrupt that has an ISR.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R2",
    anchors = {
      "WDF_INTERRUPT_CONFIG: EvtInterruptIsr cannot be NULL",
      "WUDF_INTERRUPT_CONFIG.OnInterruptIsr"
    },
    altNames = {"CALLBACK_ROLE_UNIQUE"})
public final class MissingIsr extends DeclarationRule {

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    for (InterruptModel interrupt : model.interrupts()) {
      if (interrupt.callback(CallbackRole.ISR).isPresent()) {
        continue;
      }
      for (CallbackMethod callback : interrupt.callbacks()) {
        report.addError(
            Messages.missingIsr(callback.role(), callback.methodName(), interrupt.name()),
            callback.method(),
            callback.annotation());
      }
    }
  }
}
