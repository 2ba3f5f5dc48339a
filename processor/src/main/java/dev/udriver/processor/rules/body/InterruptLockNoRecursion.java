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
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;

/**
 * No acquire of the interrupt lock ({@code acquireInterruptLock()}, {@code lock()}, {@code
 * synchronize(..)}) where it is already held by the framework or the caller: in the ISR, the enable
 * and disable callbacks and {@code @HoldsInterruptLock} methods, directly or through the driver's
 * helpers; nor a call to a helper that acquires it from inside a locked region.
 */
@RuleInfo(
    id = RuleId.INTERRUPT_LOCK_NO_RECURSION,
    summary =
        "The ISR, enable, disable and @HoldsInterruptLock code, which already hold the interrupt"
            + " lock, do not acquire it again, not even through helpers.",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    catalog = "R4",
    anchors = {
      "UMDF: the framework acquires the interrupt lock before calling OnInterruptIsr,"
          + " OnInterruptEnable and OnInterruptDisable",
      "IWDFInterrupt::AcquireInterruptLock: must not attempt to acquire the lock recursively",
      "SDV WdfInterruptLock; wdm-queuedspinlock (nested acquire of one resource)",
      "lockdep: the same lock class must not be acquired twice"
    })
public final class InterruptLockNoRecursion extends BodyRule {

  /**
   * Whether the call surely takes the lock the method already holds: one on the method's own
   * {@code Interrupt} parameter (the callback's interrupt, or the caller's for a
   * {@code @HoldsInterruptLock} method). A field or any other receiver may hold another
   * interrupt, whose lock is no recursion but a lock-order hazard.
   */
  private static boolean isOwnInterrupt(ExecutableElement method, CallSite call) {
    Element variable = call.key().variable();
    return variable != null
        && call.key().owners().isEmpty()
        && method.getParameters().contains(variable);
  }

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              boolean locked = analysis.contextLocked(method);
              // Outside a locked method, only a call under a locked region can find anything.
              for (CallSite call : analysis.callsUnderInterruptLock(method)) {
                if (locked && call.op().isPresent() && call.op().get().acquires()) {
                  report.addAt(
                      isOwnInterrupt(method, call)
                          ? Messages.recursiveAcquire(
                              Describe.method(analysis, method), Describe.call(call))
                          : Messages.acquireOfPossiblyOtherLock(
                              Describe.method(analysis, method),
                              Describe.call(call),
                              call.key().display()),
                      method,
                      call.tree(),
                      analysis.unit());
                  continue;
                }
                if ((locked || call.mayHoldAny())
                    && call.callee().isPresent()
                    && analysis.isOwnMethod(call.callee().get())) {
                  Optional<List<String>> path = analysis.acquirePath(call);
                  if (path.isPresent()) {
                    report.addAt(
                        Messages.recursiveAcquireThrough(
                            Describe.context(analysis, method, locked),
                            Describe.path(analysis.name(method), path.get())),
                        method,
                        call.tree(),
                        analysis.unit());
                  }
                }
              }
            });
  }
}
