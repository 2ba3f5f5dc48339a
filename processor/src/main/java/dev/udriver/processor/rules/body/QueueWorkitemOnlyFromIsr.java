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
import java.util.Optional;

/**
 * {@code queueWorkItemForIsr()} is called only by code that runs in the ISR: the ISR itself or
 * private helpers that only the ISR calls.
 */
@RuleInfo(
    id = RuleId.QUEUE_WORKITEM_ONLY_FROM_ISR,
    summary = "queueWorkItemForIsr() is called only from the ISR (or helpers only the ISR calls).",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    catalog = "R14",
    anchors = {
      "UMDF Servicing an Interrupt: the driver must call QueueWorkItemForIsr from within"
          + " OnInterruptIsr",
      "WdfInterruptQueueDpcForIsr: must be called from within EvtInterruptIsr",
      "Error Prone @RestrictedApi allowlists"
    })
public final class QueueWorkitemOnlyFromIsr extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              for (CallSite call : facts.calls()) {
                if (call.op().orElse(null) != InterruptApi.Op.QUEUE_WORK_ITEM) {
                  continue;
                }
                Optional<DriverAnalysis.Root> other = Optional.empty();
                for (DriverAnalysis.Root r : analysis.roots(method)) {
                  if (r.context() != DriverAnalysis.Context.ISR) {
                    other = Optional.of(r);
                    break;
                  }
                }
                String where = null;
                if (call.deferred()) {
                  where = "a lambda or local class in '" + analysis.name(method) + "', which may run on any thread";
                } else if (other.isPresent()) {
                  DriverAnalysis.Root root = other.get();
                  where =
                      root.context() == DriverAnalysis.Context.ARBITRARY
                          ? "'" + analysis.name(method) + "', which any thread may run"
                              + (root.entry().equals(method)
                                  ? ""
                                  : " (through '" + analysis.name(root.entry()) + "')")
                          : Describe.method(analysis, root.entry());
                }
                if (where != null) {
                  report.addAt(
                      Messages.queueOutsideIsr(where), method, call.tree(), analysis.unit());
                }
              }
            });
  }
}
