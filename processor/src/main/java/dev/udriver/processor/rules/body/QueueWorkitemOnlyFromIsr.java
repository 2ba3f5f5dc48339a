package dev.udriver.processor.rules.body;

import dev.udriver.processor.diag.Message;
import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.rules.analysis.InterruptApi;

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
public final class QueueWorkitemOnlyFromIsr extends IsrOnlyCall {

  @Override
  InterruptApi.Op op() {
    return InterruptApi.Op.QUEUE_WORK_ITEM;
  }

  @Override
  Message outsideIsr(String where) {
    return Messages.queueOutsideIsr(where);
  }
}
