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
import dev.udriver.processor.model.CallbackRole;
import javax.lang.model.element.ExecutableElement;

/**
 * A {@code @HoldsInterruptLock} method is called only where the interrupt lock is held on every
 * path: from the ISR, enable, disable, another {@code @HoldsInterruptLock} method, a private helper
 * that only ever runs locked, or a locked region; never from a lambda that may run later (which
 * does not inherit the lock). A work item cannot carry the contract.
 */
@RuleInfo(
    id = RuleId.HOLDING_CONTRACT,
    summary =
        "A @HoldsInterruptLock method is called only where the interrupt lock is held on every"
            + " path.",
    severity = Severity.ERROR,
    tier = Tier.BODY,
    catalog = "R18",
    anchors = {
      "Checker Framework Lock Checker @Holding",
      "kernel __must_hold; Error Prone @GuardedBy on methods",
      "WDF Synchronizing Interrupt Code: code touching interrupt data runs under the lock"
    })
public final class HoldingContract extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              if (DriverAnalysis.holdsInterruptLock(method)
                  && analysis
                      .callback(method)
                      .map(c -> c.role() == CallbackRole.WORK_ITEM)
                      .orElse(false)) {
                report.addError(Messages.holdingOnWorkItem(analysis.name(method)), method);
              }
              boolean locked = analysis.runsLocked(method);
              for (CallSite call : facts.calls()) {
                if (call.callee().isEmpty()
                    || !DriverAnalysis.holdsInterruptLock(call.callee().get())) {
                  continue;
                }
                ExecutableElement callee = call.callee().get();
                boolean held =
                    !call.deferred()
                        && (locked || call.mustHoldAny() || call.before().isEmpty());
                if (!held) {
                  report.addAt(
                      Messages.holdingNotHeld(
                          callee.getSimpleName().toString(), analysis.name(method)),
                      method,
                      call.tree(),
                      analysis.unit());
                }
              }
            });
  }
}
