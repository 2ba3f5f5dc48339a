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
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;

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
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              boolean locked = analysis.contextLocked(method);
              for (CallSite call : facts.calls()) {
                if (call.deferred() || !(locked || call.mayHoldAny())) {
                  continue;
                }
                InterruptApi.Op op = call.op().orElse(null);
                if (op == InterruptApi.Op.ENABLE || op == InterruptApi.Op.DISABLE) {
                  report.addAt(
                      Messages.enableDisableUnderLock(
                          Describe.call(call), Describe.context(analysis, method, locked), ""),
                      method,
                      call.tree(),
                      analysis.unit());
                  continue;
                }
                if (call.callee().isEmpty()) {
                  continue;
                }
                ExecutableElement callee = call.callee().get();
                if (!analysis.isOwnMethod(callee) || DriverAnalysis.holdsInterruptLock(callee)) {
                  continue;
                }
                Optional<List<String>> path = analysis.enableDisablePath(callee);
                if (path.isPresent()) {
                  report.addAt(
                      Messages.enableDisableUnderLock(
                          path.get().get(path.get().size() - 1),
                          Describe.context(analysis, method, locked),
                          Describe.path(analysis.name(method), path.get())),
                      method,
                      call.tree(),
                      analysis.unit());
                }
              }
            });
  }
}
