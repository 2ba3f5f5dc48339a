package dev.udriver.processor.rules.decl;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.AnnotationValues;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.PolicyModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.validate.ValidationReport;

/** A processor set is given exactly with {@code AffinityPolicy.SPECIFIED_PROCESSORS}. */
@RuleInfo(
    id = RuleId.POLICY_PROCESSORS,
    summary = "@InterruptPolicy lists processors exactly when its policy is SPECIFIED_PROCESSORS.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R28",
    anchors = {
      "IWDFInterrupt::SetPolicy: TargetProcessorSet is used only with"
          + " WdfIrqPolicySpecifiedProcessors"
    },
    altNames = {"POLICY_CONSTANTS_VALID"})
public final class PolicyProcessors extends DeclarationRule {

  @Override
  public boolean appliesToInterfaces() {
    return true;
  }

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    for (PolicyModel policy : Policies.of(model)) {
      boolean specified = policy.policy() == AffinityPolicy.SPECIFIED_PROCESSORS;
      if (specified && policy.processors().isEmpty()) {
        report.addError(
            Messages.specifiedProcessorsWithoutProcessors(),
            policy.annotatedElement(),
            policy.annotation(),
            AnnotationValues.explicitValue(policy.annotation(), "policy"));
      } else if (!specified && !policy.processors().isEmpty()) {
        report.addError(
            Messages.processorsWithoutSpecifiedProcessors(policy.policy().name()),
            policy.annotatedElement(),
            policy.annotation(),
            AnnotationValues.explicitValue(policy.annotation(), "processors"));
      }
    }
  }
}
