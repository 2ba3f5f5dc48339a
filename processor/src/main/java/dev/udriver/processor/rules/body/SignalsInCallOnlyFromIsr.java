package dev.udriver.processor.rules.body;

import dev.udriver.processor.diag.Message;
import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.rules.analysis.InterruptApi;

/**
 * {@code signalsInThisCall()} is read only by code that runs in the ISR: anywhere else no ISR call
 * is being served and it returns 0.
 */
@RuleInfo(
    id = RuleId.SIGNALS_IN_CALL_ONLY_FROM_ISR,
    summary = "signalsInThisCall() is called only from the ISR (or helpers only the ISR calls).",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    anchors = {
      "UMDF OnInterruptIsr: interrupts arriving while the ISR is pending coalesce into one call",
      "Linux eventfd(2) and timerfd_create(2): a read returns the count accumulated since the last",
      "Error Prone @RestrictedApi allowlists"
    })
public final class SignalsInCallOnlyFromIsr extends IsrOnlyCall {

  @Override
  InterruptApi.Op op() {
    return InterruptApi.Op.SIGNALS_IN_THIS_CALL;
  }

  @Override
  Message outsideIsr(String where) {
    return Messages.signalsOutsideIsr(where);
  }
}
