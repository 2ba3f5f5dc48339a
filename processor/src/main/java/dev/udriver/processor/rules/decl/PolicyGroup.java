package dev.udriver.processor.rules.decl;

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

/** The processor group of an {@code @InterruptPolicy} is in 0..65535. */
@RuleInfo(
    id = RuleId.POLICY_GROUP,
    summary = "The processor group of @InterruptPolicy is in 0..65535.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R28",
    anchors = {"WDF_INTERRUPT_EXTENDED_POLICY.TargetProcessorSetAndGroup: a USHORT group number"},
    altNames = {"POLICY_CONSTANTS_VALID"})
public final class PolicyGroup extends DeclarationRule {

  private static final int MAX_GROUP = 0xFFFF;

  @Override
  public boolean appliesToInterfaces() {
    return true;
  }

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    for (PolicyModel policy : Policies.of(model)) {
      if (policy.group() < 0 || policy.group() > MAX_GROUP) {
        report.addError(
            Messages.groupOutOfRange(policy.group()),
            policy.annotatedElement(),
            policy.annotation(),
            AnnotationValues.explicitValue(policy.annotation(), "group"));
      }
    }
  }
}
