package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.InterruptModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.validate.ValidationReport;
import java.util.Optional;

/** An interrupt that declares an enable callback declares a disable callback, and vice versa. */
@RuleInfo(
    id = RuleId.ENABLE_DISABLE_PAIR,
    summary = "Enable and disable callbacks come in pairs: an interrupt declares both or neither.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R21",
    anchors = {
      "WDF: Enabling and Disabling Interrupts (UMDF): a driver must provide OnInterruptEnable and"
          + " OnInterruptDisable",
      "NDIS Init_RegisterInterrupt: what is registered is deregistered"
    },
    altNames = {"ENABLE_DISABLE_PAIRED"})
public final class EnableDisablePair extends DeclarationRule {

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    for (InterruptModel interrupt : model.interrupts()) {
      Optional<CallbackMethod> enable = interrupt.callback(CallbackRole.ENABLE);
      Optional<CallbackMethod> disable = interrupt.callback(CallbackRole.DISABLE);
      if (enable.isPresent() == disable.isPresent()) {
        continue;
      }
      CallbackMethod unpaired = enable.or(() -> disable).orElseThrow();
      report.addError(
          Messages.unpairedEnableDisable(
              unpaired.role(), unpaired.methodName(), interrupt.name()),
          unpaired.method(),
          unpaired.annotation());
    }
  }
}
