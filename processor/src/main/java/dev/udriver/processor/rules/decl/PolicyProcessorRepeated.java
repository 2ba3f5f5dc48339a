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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationValue;

/** No processor is listed twice in an {@code @InterruptPolicy}. */
@RuleInfo(
    id = RuleId.POLICY_PROCESSOR_REPEATED,
    summary = "No processor is listed twice in @InterruptPolicy(processors).",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R28",
    anchors = {"IWDFInterrupt::SetPolicy: TargetProcessorSet is a set (an affinity mask)"},
    altNames = {"POLICY_CONSTANTS_VALID"})
public final class PolicyProcessorRepeated extends DeclarationRule {

  @Override
  public boolean appliesToInterfaces() {
    return true;
  }

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    for (PolicyModel policy : Policies.of(model)) {
      Optional<AnnotationValue> processors =
          AnnotationValues.explicitValue(policy.annotation(), "processors");
      if (processors.isEmpty()) {
        continue;
      }
      Set<Integer> seen = new HashSet<>();
      for (Object element : (List<?>) processors.get().getValue()) {
        AnnotationValue value = (AnnotationValue) element;
        int processor = (Integer) value.getValue();
        if (processor >= 0
            && processor <= PolicyProcessorRange.MAX_PROCESSOR
            && !seen.add(processor)) {
          report.addError(
              Messages.processorRepeated(processor),
              policy.annotatedElement(),
              policy.annotation(),
              Optional.of(value));
        }
      }
    }
  }
}
