package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;

/** An @OnInterruptWorkItem method returns void and takes (), (Interrupt) or (Interrupt, Device). */
@RuleInfo(
    id = RuleId.WORK_ITEM_SIGNATURE,
    summary = "An @OnInterruptWorkItem method returns void and takes (), (Interrupt) or (Interrupt, Device).",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R1",
    anchors = {
      "UMDF role type WUDF_INTERRUPT_WORKITEM (EVT_WDF_INTERRUPT_WORKITEM)",
      "CodeQL CurrentFunctionTypeNotCorrect (C28101), RoutineFunctionTypeNotExpected (C28127)",
      "RTIC: a task must have the type signature the framework calls"
    },
    altNames = {"CALLBACK_SIGNATURE"})
public final class WorkItemSignature extends SignatureRule {
  public WorkItemSignature() {
    super(CallbackRole.WORK_ITEM);
  }
}
