package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.InterruptModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.validate.ValidationReport;
import java.util.ArrayList;
import java.util.List;

/** A driver that names its interrupts names all of them. */
@RuleInfo(
    id = RuleId.UNNAMED_INTERRUPT_AMBIGUOUS,
    summary = "A driver that names some of its interrupts names every one of them.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R2",
    anchors = {"RTIC: every task is bound to exactly one named interrupt"})
public final class UnnamedInterruptAmbiguous extends DeclarationRule {

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    List<String> named = new ArrayList<>();
    for (InterruptModel interrupt : model.interrupts()) {
      if (!interrupt.name().isEmpty()) {
        named.add(interrupt.name());
      }
    }
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
