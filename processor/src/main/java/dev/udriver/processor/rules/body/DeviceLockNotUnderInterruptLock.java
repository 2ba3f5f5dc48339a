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
 * The device lock is not taken under an interrupt lock: not in the ISR, the enable or disable
 * callback or a {@code @HoldsInterruptLock} method (the framework or the caller holds the interrupt
 * lock there), not in a region that holds an interrupt lock, directly or through the driver's own
 * helpers. An automatically serialized work item holds the device lock and may take the interrupt
 * lock; the other order deadlocks with it.
 */
@RuleInfo(
    id = RuleId.DEVICE_LOCK_NOT_UNDER_INTERRUPT_LOCK,
    summary =
        "The device lock (acquireLock(), lock(), synchronize(..)) is not taken in the ISR, enable,"
            + " disable or any code holding an interrupt lock, not even through the driver's"
            + " helpers.",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    anchors = {
      "IWDFObject::AcquireLock: the callback lock automatic serialization takes",
      "WDF_INTERRUPT_CONFIG AutomaticSerialization: the work item runs under the device's"
          + " callback lock",
      "Linux lockdep: circular locking dependency (lock-order inversion)",
      "udriver verifier finding DEVICE_LOCK_UNDER_INTERRUPT_LOCK"
    })
public final class DeviceLockNotUnderInterruptLock extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    CallsUnderLock.report(
        analysis,
        report,
        CallsUnderLock.Held.INTERRUPT_LOCK,
        InterruptApi.Op::acquiresDevice,
        DriverAnalysis::deviceAcquirePath,
        Messages::deviceLockUnderInterruptLock);
  }
}
