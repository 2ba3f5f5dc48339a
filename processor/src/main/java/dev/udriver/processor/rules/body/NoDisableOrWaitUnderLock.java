package dev.udriver.processor.rules.body;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.BodyRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.rules.analysis.DriverAnalysis;
import dev.udriver.processor.rules.analysis.InterruptApi;
import dev.udriver.processor.validate.ValidationReport;

/**
 * {@code enable()} and {@code disable()} wait for the ISR and the callbacks, which run under the
 * interrupt lock: they are not called from the ISR, the enable and disable callbacks, {@code
 * @HoldsInterruptLock} methods or locked regions, directly or through the driver's helpers.
 */
@RuleInfo(
    id = RuleId.NO_DISABLE_OR_WAIT_UNDER_LOCK,
    summary =
        "enable() and disable() are not called from the ISR, enable, disable or any code holding"
            + " the interrupt lock.",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    catalog = "R20",
    anchors = {
      "Linux disable_irq/synchronize_irq: calling it while holding a resource the handler needs"
          + " deadlocks",
      "WdfInterruptDisable: PASSIVE_LEVEL only; not from an arbitrary thread",
      "IWDFInterrupt::Enable and Disable call the driver's callbacks under the lock"
    })
public final class NoDisableOrWaitUnderLock extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    CallsUnderLock.report(
        analysis,
        report,
        CallsUnderLock.Held.INTERRUPT_LOCK,
        op -> op == InterruptApi.Op.ENABLE || op == InterruptApi.Op.DISABLE,
        DriverAnalysis::enableDisablePath,
        Messages::enableDisableUnderLock);
  }
}
