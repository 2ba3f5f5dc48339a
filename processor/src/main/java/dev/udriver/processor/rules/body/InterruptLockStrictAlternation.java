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
import dev.udriver.processor.rules.analysis.LockState;
import dev.udriver.processor.validate.ValidationReport;

/**
 * Acquire and release strictly alternate within a method: no second acquire while the method holds
 * the lock on some path, no release on a path that does not hold it (a failed try-acquire is {@code
 * TRY_ACQUIRE_RESULT_CHECKED}'s), no release of the lock the framework holds for a callback.
 */
@RuleInfo(
    id = RuleId.INTERRUPT_LOCK_STRICT_ALTERNATION,
    summary =
        "acquireInterruptLock() and releaseInterruptLock() strictly alternate: no second acquire,"
            + " no release without an acquire.",
    severity = Severity.ERROR,
    tier = Tier.BODY,
    catalog = "R6",
    anchors = {
      "SDV WdfInterruptLock: used in strict alternation with WdfInterruptReleaseLock",
      "SDV Spinlock, SpinlockDpc; wdm-spinlocksafe: release only after acquire",
      "IWDFInterrupt::AcquireInterruptLock: must not call it again before ReleaseInterruptLock",
      "sparse: unexpected unlock"
    })
public final class InterruptLockStrictAlternation extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              boolean locked = analysis.contextLocked(method);
              for (CallSite call : facts.calls()) {
                if (call.deferred() || call.op().isEmpty()) {
                  continue;
                }
                InterruptApi.Op op = call.op().get();
                String lock = call.key().display();
                if (op.acquires() && call.mayHold(call.key())) {
                  report.addAt(
                      Messages.secondAcquire(lock, Describe.call(call)),
                      method,
                      call.tree(),
                      analysis.unit());
                } else if (op.releases()) {
                  boolean unheldWithoutFailedTry = false;
                  for (LockState s : call.before()) {
                    if (!s.holds(call.key()) && !s.failedTries().contains(call.key())) {
                      unheldWithoutFailedTry = true;
                      break;
                    }
                  }
                  if (!unheldWithoutFailedTry) {
                    continue;
                  }
                  boolean neverAcquired = !call.mayHoldAny();
                  report.addAt(
                      locked && neverAcquired
                          ? Messages.releaseOfFrameworkLock(
                              Describe.method(analysis, method), Describe.call(call))
                          : Messages.releaseWithoutAcquire(lock, Describe.call(call)),
                      method,
                      call.tree(),
                      analysis.unit());
                }
              }
            });
  }
}
