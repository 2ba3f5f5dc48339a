package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.PolicyModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.validate.ValidationReport;

/** A method-level {@code @InterruptPolicy} sits on an ISR. */
@RuleInfo(
    id = RuleId.POLICY_ON_NON_ISR,
    summary = "A method-level @InterruptPolicy sits on an @OnInterruptIsr method.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R28",
    anchors = {"IWDFInterrupt::SetPolicy: the policy belongs to one interrupt object"},
    altNames = {"POLICY_CONSTANTS_VALID"})
public final class PolicyOnNonIsr extends DeclarationRule {

  @Override
  public boolean appliesToInterfaces() {
    return true;
  }

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    for (PolicyModel policy : model.methodPolicies()) {
      boolean onIsr =
          model.callbacks().stream()
              .filter(c -> c.role() == CallbackRole.ISR)
              .map(CallbackMethod::method)
              .anyMatch(policy.annotatedElement()::equals);
      if (!onIsr) {
        report.addError(
            Messages.policyOnNonIsr(policy.annotatedElement().getSimpleName().toString()),
            policy.annotatedElement(),
            policy.annotation());
      }
    }
  }
}
