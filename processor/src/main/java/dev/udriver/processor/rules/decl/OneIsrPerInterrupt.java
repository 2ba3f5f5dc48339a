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

/** Every interrupt name has exactly one ISR; a second one is reported on its annotation. */
@RuleInfo(
    id = RuleId.ONE_ISR_PER_INTERRUPT,
    summary = "Every interrupt name has exactly one @OnInterruptIsr method.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R2",
    anchors = {
      "WDF_INTERRUPT_CONFIG.EvtInterruptIsr: one ISR per interrupt object",
      "RTIC: this interrupt is already bound",
      "Zephyr: multiple registrations at one table index"
    },
    altNames = {"CALLBACK_ROLE_UNIQUE"})
public final class OneIsrPerInterrupt extends DeclarationRule {

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    for (InterruptModel interrupt : model.interrupts()) {
      List<CallbackMethod> isrs = interrupt.callbacks(CallbackRole.ISR);
      for (int i = 1; i < isrs.size(); i++) {
        CallbackMethod duplicate = isrs.get(i);
        report.addError(
            Messages.duplicateIsr(
                interrupt.name(), isrs.get(0).methodName(), duplicate.methodName()),
            duplicate.method(),
            duplicate.annotation());
      }
    }
  }
}
