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
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;

/**
 * Code that any thread may run (a non-callback method the application can call, helpers it reaches,
 * lambdas) takes the interrupt lock only with {@code tryToAcquireInterruptLock()}. In a non-private
 * helper the message also suggests making it private, for a helper only callbacks call.
 */
@RuleInfo(
    id = RuleId.ARBITRARY_THREAD_USES_TRY_ACQUIRE,
    summary =
        "Code that any thread may run uses tryToAcquireInterruptLock(), never"
            + " acquireInterruptLock(), lock() or synchronize(..).",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    catalog = "R9",
    anchors = {
      "IWDFInterrupt::AcquireInterruptLock: in an arbitrary thread drivers must call"
          + " TryToAcquireInterruptLock (deadlock with an ISR that sends I/O)",
      "WdfInterruptAcquireLock: do not call from an arbitrary thread context, such as a request"
          + " handler",
      "WdfInterruptTryToAcquireLock remarks"
    })
public final class ArbitraryThreadUsesTryAcquire extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              for (CallSite call : facts.calls()) {
                if (call.op().isEmpty() || !call.op().get().acquires()) {
                  continue;
                }
                if (call.deferred() || runsOnArbitraryThread(analysis, method)) {
                  String name = analysis.name(method);
                  report.addAt(
                      !call.deferred() && applicationCallable(analysis, method)
                          ? Messages.acquireInNonPrivateHelper(Describe.call(call), name)
                          : Messages.acquireOnArbitraryThread(Describe.call(call), name),
                      method,
                      call.tree(),
                      analysis.unit());
                }
              }
            });
  }

  /**
   * Whether the method is a helper that runs on any thread only because the application can call
   * it: a non-private method that is neither a callback nor a constructor. Made private, it would
   * run in the contexts of its callers; code in a lambda runs on any thread regardless.
   */
  private static boolean applicationCallable(DriverAnalysis analysis, ExecutableElement method) {
    return !method.getModifiers().contains(Modifier.PRIVATE)
        && method.getKind() == ElementKind.METHOD
        && !analysis.isCallback(method);
  }

  /** Whether some entry that reaches the method is one any thread may call. */
  private static boolean runsOnArbitraryThread(DriverAnalysis analysis, ExecutableElement method) {
    for (DriverAnalysis.Root root : analysis.roots(method)) {
      if (root.context() == DriverAnalysis.Context.ARBITRARY) {
        return true;
      }
    }
    return false;
  }
}
