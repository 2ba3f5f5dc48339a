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
 * {@code disable()} waits for the interrupt's work items to finish, and an automatically serialized
 * work item first waits for the device lock: {@code disable()} is not called where the device lock
 * is held (a region of the method that holds it, a work item with automatic serialization),
 * directly or through the driver's own helpers. The runtime refuses such a call.
 */
@RuleInfo(
    id = RuleId.NO_DISABLE_UNDER_DEVICE_LOCK,
    summary =
        "disable() is not called while the device lock is held, including in a work item with"
            + " automaticSerialization.",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    anchors = {
      "WdfInterruptDisable: waits for the work items and the DPC of the interrupt",
      "Linux disable_irq/synchronize_irq: calling it while holding a resource the handler needs"
          + " deadlocks",
      "udriver runtime rule DRAIN_UNDER_DEVICE_LOCK"
    })
public final class NoDisableUnderDeviceLock extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    CallsUnderLock.report(
        analysis,
        report,
        CallsUnderLock.Held.DEVICE_LOCK,
        op -> op == InterruptApi.Op.DISABLE,
        DriverAnalysis::disablePath,
        Messages::disableUnderDeviceLock);
  }
}
