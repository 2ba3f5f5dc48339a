package dev.udriver.processor.rules.body;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.BodyRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.rules.analysis.CallSite;
import dev.udriver.processor.rules.analysis.DriverAnalysis;
import dev.udriver.processor.rules.analysis.InterruptApi;
import dev.udriver.processor.validate.ValidationReport;

/**
 * A method that calls {@code disable()} also calls {@code enable()}, and one that calls {@code
 * enable()} called {@code disable()} first. A warning: a pause/resume pair split over two methods is
 * legitimate and can be suppressed. Code holding the lock is {@code NO_DISABLE_OR_WAIT_UNDER_LOCK}'s.
 */
@RuleInfo(
    id = RuleId.EXPLICIT_DISABLE_ENABLE_BALANCED,
    summary = "A method that calls disable() calls enable() too, and enable() follows a disable().",
    severity = Severity.WARNING,
    tier = Tier.BODY,
    catalog = "R22",
    anchors = {
      "Linux __enable_irq: Unbalanced enable for IRQ (depth counter)",
      "Zephyr irq_lock: unlock the same number of times"
    })
public final class ExplicitDisableEnableBalanced extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              if (analysis.contextLocked(method)) {
                return;
              }
              CallSite firstDisable = null;
              CallSite firstEnable = null;
              boolean enableBeforeDisable = false;
              for (CallSite call : facts.calls()) {
                InterruptApi.Op op = call.op().orElse(null);
                if (op == InterruptApi.Op.DISABLE && firstDisable == null) {
                  firstDisable = call;
                } else if (op == InterruptApi.Op.ENABLE && firstEnable == null) {
                  firstEnable = call;
                  enableBeforeDisable = firstDisable == null;
                }
              }
              if (firstDisable != null && firstEnable == null) {
                report.addAt(
                    Messages.disableNotReenabled(analysis.name(method)),
                    method,
                    firstDisable.tree(),
                    analysis.unit());
              } else if (firstEnable != null && (firstDisable == null || enableBeforeDisable)) {
                report.addAt(
                    Messages.enableNotDisabled(analysis.name(method)),
                    method,
                    firstEnable.tree(),
                    analysis.unit());
              }
            });
  }
}
