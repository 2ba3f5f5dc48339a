package dev.udriver.processor.model;

import dev.udriver.annotation.ShareVector;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One interrupt name of a driver with every callback that names it, in declaration order.
 *
 * @param name the interrupt name; {@code ""} for the driver's only interrupt
 * @param callbacks the callbacks naming it, possibly several per role in an invalid driver
 * @param shareVector from the ISR's annotation (the default without an ISR)
 * @param automaticSerialization from the ISR's annotation
 * @param lockGroup from the ISR's annotation
 * @param policy the ISR's own policy, else the driver class's, else none
 */
public record InterruptModel(
    String name,
    List<CallbackMethod> callbacks,
    ShareVector shareVector,
    boolean automaticSerialization,
    String lockGroup,
    Optional<PolicyModel> policy) {

  public InterruptModel {
    callbacks = List.copyOf(callbacks);
  }

  /** Every callback in {@code role}, in declaration order. */
  public List<CallbackMethod> callbacks(CallbackRole role) {
    List<CallbackMethod> inRole = new ArrayList<>();
    for (CallbackMethod callback : callbacks) {
      if (callback.role() == role) {
        inRole.add(callback);
      }
    }
    return inRole;
  }

  /** The first callback in {@code role}; the only one in a valid driver. */
  public Optional<CallbackMethod> callback(CallbackRole role) {
    for (CallbackMethod callback : callbacks) {
      if (callback.role() == role) {
        return Optional.of(callback);
      }
    }
    return Optional.empty();
  }
}
