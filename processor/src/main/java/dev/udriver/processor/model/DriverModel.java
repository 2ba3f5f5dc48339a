package dev.udriver.processor.model;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.TypeElement;

/**
 * Everything the processor knows about one driver class, as declared: it may still be invalid.
 * Validators report on it; the generator reads it only once its report is clean.
 *
 * @param type the driver class (or the interface or other type that carries the annotations)
 * @param callbacks every role annotation on the type's own methods, in declaration order
 * @param interrupts the interrupt names, in order of their first callback
 * @param classPolicy the {@code @InterruptPolicy} on the type, if any
 * @param methodPolicies every {@code @InterruptPolicy} on the type's methods, in declaration order
 */
public record DriverModel(
    TypeElement type,
    List<CallbackMethod> callbacks,
    List<InterruptModel> interrupts,
    Optional<PolicyModel> classPolicy,
    List<PolicyModel> methodPolicies) {

  public DriverModel {
    callbacks = List.copyOf(callbacks);
    interrupts = List.copyOf(interrupts);
    methodPolicies = List.copyOf(methodPolicies);
  }

  /** The driver's simple name, as messages show it. */
  public String simpleName() {
    return type.getSimpleName().toString();
  }
}
