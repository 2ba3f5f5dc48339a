package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;

/** An @OnInterruptIsr method returns boolean and takes (Interrupt) or (Interrupt, int messageId). */
@RuleInfo(
    id = RuleId.ISR_SIGNATURE,
    summary = "An @OnInterruptIsr method returns boolean and takes (Interrupt) or (Interrupt, int messageId).",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R1",
    anchors = {
      "UMDF role type WUDF_INTERRUPT_ISR (EVT_WDF_INTERRUPT_ISR)",
      "CodeQL CurrentFunctionTypeNotCorrect (C28101), RoutineFunctionTypeNotExpected (C28127)",
      "RTIC: a task must have the type signature the framework calls"
    },
    altNames = {"CALLBACK_SIGNATURE"})
public final class IsrSignature extends SignatureRule {
  public IsrSignature() {
    super(CallbackRole.ISR);
  }
}
