package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;

/** An @OnInterruptEnable method returns void and takes (Interrupt) or (Interrupt, Device). */
@RuleInfo(
    id = RuleId.ENABLE_SIGNATURE,
    summary = "An @OnInterruptEnable method returns void and takes (Interrupt) or (Interrupt, Device).",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R1",
    anchors = {
      "UMDF role type WUDF_INTERRUPT_ENABLE (EVT_WDF_INTERRUPT_ENABLE)",
      "CodeQL CurrentFunctionTypeNotCorrect (C28101), RoutineFunctionTypeNotExpected (C28127)",
      "RTIC: a task must have the type signature the framework calls"
    },
    altNames = {"CALLBACK_SIGNATURE"})
public final class EnableSignature extends SignatureRule {
  public EnableSignature() {
    super(CallbackRole.ENABLE);
  }
}
