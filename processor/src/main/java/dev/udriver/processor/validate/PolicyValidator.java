package dev.udriver.processor.validate;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.model.AnnotationValues;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.PolicyModel;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;

/**
 * Checks each {@code @InterruptPolicy}: a processor set exactly with SPECIFIED_PROCESSORS, each
 * processor in 0..63 and listed once, a group in 0..65535 (what {@code ExtendedPolicy} accepts at
 * run time), and a place where it takes effect: an ISR or a driver class that declares one.
 */
public final class PolicyValidator {

  private static final int MAX_PROCESSOR = 63;
  private static final int MAX_GROUP = 0xFFFF;

  public void validate(DriverModel model, ValidationReport.Builder report) {
    model
        .classPolicy()
        .ifPresent(
            policy -> {
              checkAttributes(policy, report);
              if (model.callbacks().stream().noneMatch(c -> c.role() == CallbackRole.ISR)) {
                report.addError(
                    Messages.policyWithoutInterrupts(model.simpleName()),
                    policy.annotatedElement(),
                    policy.annotation());
              }
            });
    for (PolicyModel policy : model.methodPolicies()) {
      checkAttributes(policy, report);
      if (!isIsr(model, policy.annotatedElement())) {
        report.addError(
            Messages.policyOnNonIsr(policy.annotatedElement().getSimpleName().toString()),
            policy.annotatedElement(),
            policy.annotation());
      }
    }
  }

  private static boolean isIsr(DriverModel model, Element method) {
    return model.callbacks().stream()
        .filter(c -> c.role() == CallbackRole.ISR)
        .map(CallbackMethod::method)
        .anyMatch(method::equals);
  }

  private static void checkAttributes(PolicyModel policy, ValidationReport.Builder report) {
    Optional<AnnotationValue> processorsValue =
        AnnotationValues.explicitValue(policy.annotation(), "processors");
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
          processorsValue);
    }
    if (processorsValue.isPresent()) {
      checkProcessors(policy, (List<?>) processorsValue.get().getValue(), report);
    }
    if (policy.group() < 0 || policy.group() > MAX_GROUP) {
      report.addError(
          Messages.groupOutOfRange(policy.group()),
          policy.annotatedElement(),
          policy.annotation(),
          AnnotationValues.explicitValue(policy.annotation(), "group"));
    }
  }

  private static void checkProcessors(
      PolicyModel policy, List<?> processorValues, ValidationReport.Builder report) {
    Set<Integer> seen = new HashSet<>();
    for (Object element : processorValues) {
      AnnotationValue value = (AnnotationValue) element;
      int processor = (Integer) value.getValue();
      if (processor < 0 || processor > MAX_PROCESSOR) {
        report.addError(
            Messages.processorOutOfRange(processor),
            policy.annotatedElement(),
            policy.annotation(),
            Optional.of(value));
      } else if (!seen.add(processor)) {
        report.addError(
            Messages.processorRepeated(processor),
            policy.annotatedElement(),
            policy.annotation(),
            Optional.of(value));
      }
    }
  }
}
