package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.validate.ValidationReport;

/** A class-level {@code @InterruptPolicy} sits on a class that declares an ISR. */
@RuleInfo(
    id = RuleId.POLICY_WITHOUT_INTERRUPTS,
    summary = "A class-level @InterruptPolicy sits on a driver that declares an ISR.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R28",
    anchors = {"IWDFInterrupt::SetPolicy: a policy applies to an interrupt object"},
    altNames = {"POLICY_CONSTANTS_VALID"})
public final class PolicyWithoutInterrupts extends DeclarationRule {

  @Override
  public boolean appliesToInterfaces() {
    return true;
  }

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    model
        .classPolicy()
        .ifPresent(
            policy -> {
              if (model.callbacks().stream().noneMatch(c -> c.role() == CallbackRole.ISR)) {
                report.addError(
                    Messages.policyWithoutInterrupts(model.simpleName()),
                    policy.annotatedElement(),
                    policy.annotation());
              }
            });
  }
}
