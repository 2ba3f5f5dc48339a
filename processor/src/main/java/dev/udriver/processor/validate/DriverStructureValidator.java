package dev.udriver.processor.validate;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.InterruptModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;

/**
 * Checks how a driver's callbacks fit together: one role per method, exactly one ISR per interrupt
 * name and at most one callback per other role, no callback for an interrupt without an ISR,
 * enable and disable in pairs, and no unnamed interrupt beside named ones. Each error sits on the
 * annotation that causes it.
 */
public final class DriverStructureValidator {

  public void validate(DriverModel model, ValidationReport.Builder report) {
    checkOneRolePerMethod(model, report);
    for (InterruptModel interrupt : model.interrupts()) {
      checkDuplicates(interrupt, report);
      checkIsrPresent(interrupt, report);
      checkEnableDisablePair(interrupt, report);
    }
    checkUnnamedInterrupt(model, report);
  }

  private static void checkOneRolePerMethod(DriverModel model, ValidationReport.Builder report) {
    Map<ExecutableElement, CallbackMethod> firstRole = new LinkedHashMap<>();
    for (CallbackMethod callback : model.callbacks()) {
      CallbackMethod first = firstRole.putIfAbsent(callback.method(), callback);
      if (first != null) {
        report.addError(
            Messages.oneRolePerMethod(callback.methodName(), first.role(), callback.role()),
            callback.method(),
            callback.annotation());
      }
    }
  }

  private static void checkDuplicates(InterruptModel interrupt, ValidationReport.Builder report) {
    for (CallbackRole role : CallbackRole.values()) {
      List<CallbackMethod> inRole = interrupt.callbacks(role);
      for (int i = 1; i < inRole.size(); i++) {
        CallbackMethod duplicate = inRole.get(i);
        String first = inRole.get(0).methodName();
        report.addError(
            role == CallbackRole.ISR
                ? Messages.duplicateIsr(interrupt.name(), first, duplicate.methodName())
                : Messages.duplicateCallback(
                    role, interrupt.name(), first, duplicate.methodName()),
            duplicate.method(),
            duplicate.annotation());
      }
    }
  }

  private static void checkIsrPresent(InterruptModel interrupt, ValidationReport.Builder report) {
    if (interrupt.callback(CallbackRole.ISR).isPresent()) {
      return;
    }
    for (CallbackMethod callback : interrupt.callbacks()) {
      report.addError(
          Messages.missingIsr(callback.role(), callback.methodName(), interrupt.name()),
          callback.method(),
          callback.annotation());
    }
  }

  private static void checkEnableDisablePair(
      InterruptModel interrupt, ValidationReport.Builder report) {
    Optional<CallbackMethod> enable = interrupt.callback(CallbackRole.ENABLE);
    Optional<CallbackMethod> disable = interrupt.callback(CallbackRole.DISABLE);
    if (enable.isPresent() == disable.isPresent()) {
      return;
    }
    CallbackMethod unpaired = enable.or(() -> disable).orElseThrow();
    report.addError(
        Messages.unpairedEnableDisable(unpaired.role(), unpaired.methodName(), interrupt.name()),
        unpaired.method(),
        unpaired.annotation());
  }

  private static void checkUnnamedInterrupt(DriverModel model, ValidationReport.Builder report) {
    List<String> named =
        model.interrupts().stream()
            .map(InterruptModel::name)
            .filter(name -> !name.isEmpty())
            .collect(Collectors.toList());
    if (named.isEmpty()) {
      return;
    }
    for (CallbackMethod callback : model.callbacks()) {
      if (callback.interruptName().isEmpty()) {
        report.addError(
            Messages.unnamedInterruptAmbiguous(
                callback.role(), callback.methodName(), model.simpleName(), named),
            callback.method(),
            callback.annotation());
      }
    }
  }
}
