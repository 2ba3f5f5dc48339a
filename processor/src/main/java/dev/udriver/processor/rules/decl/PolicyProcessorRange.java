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
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationValue;

/** Each processor of an {@code @InterruptPolicy} is in 0..63 (one processor group). */
@RuleInfo(
    id = RuleId.POLICY_PROCESSOR_RANGE,
    summary = "Each processor in @InterruptPolicy(processors) is in 0..63.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R28",
    anchors = {
      "IWDFInterrupt::SetPolicy: TargetProcessorSet is a 64-bit KAFFINITY mask",
      "Zephyr: all IRQ_CONNECT arguments are checked at build time"
    },
    altNames = {"POLICY_CONSTANTS_VALID"})
public final class PolicyProcessorRange extends DeclarationRule {

  static final int MAX_PROCESSOR = 63;

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
      for (Object element : (List<?>) processors.get().getValue()) {
        AnnotationValue value = (AnnotationValue) element;
        int processor = (Integer) value.getValue();
        if (processor < 0 || processor > MAX_PROCESSOR) {
          report.addError(
              Messages.processorOutOfRange(processor),
              policy.annotatedElement(),
              policy.annotation(),
              Optional.of(value));
        }
      }
    }
  }
}
