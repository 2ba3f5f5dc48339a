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
 * The result of {@code tryToAcquireInterruptLock()} guards the locked region: it is tested (directly
 * or through a boolean local), and the lock is released only where it returned true. Not checked in
 * code that already holds the lock, where a try always fails.
 */
@RuleInfo(
    id = RuleId.TRY_ACQUIRE_RESULT_CHECKED,
    summary =
        "The result of tryToAcquireInterruptLock() guards the locked region; the lock is released"
            + " only where it returned true.",
    severity = Severity.ERROR,
    tier = Tier.BODY,
    catalog = "R8",
    anchors = {
      "WdfInterruptTryToAcquireLock: returns at once; release only if it returned TRUE",
      "Checker Framework @EnsuresLockHeldIf; kernel __cond_acquires"
    })
public final class TryAcquireResultChecked extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              if (analysis.contextLocked(method)) {
                return;
              }
              for (CallSite call : facts.calls()) {
                if (call.deferred() || call.op().isEmpty()) {
                  continue;
                }
                InterruptApi.Op op = call.op().get();
                if (op == InterruptApi.Op.TRY_ACQUIRE
                    && (call.tryUse() == CallSite.TryUse.IGNORED
                        || call.tryUse() == CallSite.TryUse.OTHER)) {
                  report.addAt(
                      Messages.tryResultUnused(), method, call.tree(), analysis.unit());
                } else if (op.releases() && afterFailedTry(call)) {
                  report.addAt(
                      Messages.releaseAfterFailedTry(Describe.call(call)),
                      method,
                      call.tree(),
                      analysis.unit());
                }
              }
            });
  }

  /** Whether a path reaching the release has the lock not held after a failed try-acquire. */
  private static boolean afterFailedTry(CallSite call) {
    for (LockState s : call.before()) {
      if (!s.holds(call.key()) && s.failedTries().contains(call.key())) {
        return true;
      }
    }
    return false;
  }
}
