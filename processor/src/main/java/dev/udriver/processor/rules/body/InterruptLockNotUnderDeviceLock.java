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
 * An interrupt lock is not taken with a blocking call ({@code acquireInterruptLock()}, {@code
 * lock()}, {@code synchronize(..)}) while the device lock is held: in a region of the method that
 * holds it, or in a work item with automatic serialization, which the framework runs under it;
 * directly or through the driver's own helpers. {@code tryToAcquireInterruptLock()} does not wait
 * and is not reported, as the runtime's verifier does not report it.
 */
@RuleInfo(
    id = RuleId.INTERRUPT_LOCK_NOT_UNDER_DEVICE_LOCK,
    summary =
        "No blocking interrupt-lock acquire while the device lock is held, including in a work"
            + " item with automaticSerialization.",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    anchors = {
      "WDF_INTERRUPT_CONFIG AutomaticSerialization: such a work item must not call"
          + " WdfInterruptAcquireLock",
      "IWDFObject::AcquireLock: the callback lock automatic serialization takes",
      "Linux lockdep: circular locking dependency (lock-order inversion)",
      "udriver verifier finding INTERRUPT_LOCK_UNDER_DEVICE_LOCK"
    })
public final class InterruptLockNotUnderDeviceLock extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    CallsUnderLock.report(
        analysis,
        report,
        CallsUnderLock.Held.DEVICE_LOCK,
        InterruptApi.Op::acquires,
        DriverAnalysis::acquirePath,
        Messages::interruptLockUnderDeviceLock);
  }
}
