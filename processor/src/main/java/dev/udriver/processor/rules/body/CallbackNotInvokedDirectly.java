package dev.udriver.processor.rules.body;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.BodyRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.rules.analysis.CallSite;
import dev.udriver.processor.rules.analysis.DriverAnalysis;
import dev.udriver.processor.validate.ValidationReport;
import javax.lang.model.element.ExecutableElement;

/** Driver code never calls (or takes a reference to) one of its own callback methods. */
@RuleInfo(
    id = RuleId.CALLBACK_NOT_INVOKED_DIRECTLY,
    summary =
        "Driver code does not call its own callback methods; the framework calls them, under the"
            + " lock and in sequence.",
    severity = Severity.ERROR,
    tier = Tier.BODY,
    catalog = "R3",
    anchors = {
      "IWDFInterrupt::Enable: the framework calls the driver's OnInterruptEnable",
      "Embassy Handler::on_interrupt: must only be called from the interrupt handler",
      "RTIC: tasks are not reentrant"
    })
public final class CallbackNotInvokedDirectly extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              for (CallSite call : facts.calls()) {
                if (call.callee().isEmpty() || !analysis.isCallback(call.callee().get())) {
                  continue;
                }
                ExecutableElement callee = call.callee().get();
                report.addAt(
                    Messages.callbackInvokedDirectly(
                        analysis.name(callee),
                        analysis.callback(callee).get().role().displayName()),
                    method,
                    call.tree(),
                    analysis.unit());
              }
            });
  }
}
