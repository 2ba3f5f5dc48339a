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
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.InterruptModel;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * {@code queueWorkItemForIsr()} is called only for an interrupt that declares a work item: the
 * interrupts of the ISRs the call runs in, or, outside any ISR, at least one interrupt of the driver.
 */
@RuleInfo(
    id = RuleId.WORKITEM_DECLARED_IF_QUEUED,
    summary = "queueWorkItemForIsr() is called only for an interrupt that declares a work item.",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    catalog = "R15",
    anchors = {
      "WdfInterruptQueueWorkItemForIsr: a bug check occurs if the interrupt has no"
          + " EvtInterruptWorkItem",
      "WUDF_INTERRUPT_CONFIG.OnInterruptWorkItem"
    })
public final class WorkitemDeclaredIfQueued extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    boolean anyWorkItem = anyWorkItem(analysis);
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              for (CallSite call : facts.calls()) {
                if (call.op().orElse(null) != InterruptApi.Op.QUEUE_WORK_ITEM) {
                  continue;
                }
                Set<String> missing = new LinkedHashSet<>();
                boolean fromIsr = false;
                for (DriverAnalysis.Root root : analysis.roots(method)) {
                  if (root.context() == DriverAnalysis.Context.ISR && !call.deferred()) {
                    fromIsr = true;
                    if (!hasWorkItem(analysis, root.interrupt())) {
                      missing.add(root.interrupt());
                    }
                  }
                }
                if (!fromIsr && !anyWorkItem) {
                  missing.add("");
                }
                for (String interrupt : missing) {
                  report.addAt(
                      Messages.queueWithoutWorkItem(interrupt),
                      method,
                      call.tree(),
                      analysis.unit());
                }
              }
            });
  }

  private static boolean hasWorkItem(DriverAnalysis analysis, String interrupt) {
    for (InterruptModel model : analysis.model().interrupts()) {
      if (model.name().equals(interrupt)) {
        return model.callback(CallbackRole.WORK_ITEM).isPresent();
      }
    }
    return false;
  }

  private static boolean anyWorkItem(DriverAnalysis analysis) {
    for (CallbackMethod callback : analysis.model().callbacks()) {
      if (callback.role() == CallbackRole.WORK_ITEM) {
        return true;
      }
    }
    return false;
  }
}
