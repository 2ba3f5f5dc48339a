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
import dev.udriver.processor.rules.analysis.MethodFacts;
import dev.udriver.processor.validate.ValidationReport;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import dev.udriver.annotation.ShareVector;
import dev.udriver.processor.model.AnnotationValues;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.InterruptModel;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.VariableElement;

/**
 * An ISR on a shareable line ({@code ShareVector.TRUE}) can return false ("not my device"), and no
 * ISR returns only false. Only constant results count as fixed: {@code true}, {@code false} and
 * constant fields. On a shareable line the ISR does not return {@code queueWorkItemForIsr()}'s
 * result, which says whether the work item was newly queued, not whether the device interrupted.
 */
@RuleInfo(
    id = RuleId.ISR_RETURN_CONTRACT,
    summary =
        "An ISR on a shareable line can return false; no ISR can only return false.",
    severity = Severity.ERROR,
    tier = Tier.BODY,
    catalog = "R16",
    anchors = {
      "EVT_WDF_INTERRUPT_ISR: must return FALSE if its device did not raise the interrupt",
      "WUDF_INTERRUPT_ISR return semantics; Writing an ISR",
      "Linux note_interrupt: nobody cared, bogus return value"
    })
public final class IsrReturnContract extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    for (InterruptModel interrupt : analysis.model().interrupts()) {
      Optional<CallbackMethod> isr = interrupt.callback(CallbackRole.ISR);
      if (isr.isEmpty() || !analysis.facts().containsKey(isr.get().method())) {
        continue;
      }
      CallbackMethod callback = isr.get();
      MethodFacts facts = analysis.facts().get(callback.method());
      if (facts.returns().isEmpty()) {
        continue;
      }
      if (interrupt.shareVector() == ShareVector.TRUE) {
        reportQueueResults(analysis, facts, callback, report);
      }
      boolean canTrue = false;
      boolean canFalse = false;
      for (ExpressionTree value : facts.returns()) {
        Boolean constant = constant(analysis, facts, value);
        canTrue |= constant == null || constant;
        canFalse |= constant == null || !constant;
      }
      if (!canTrue) {
        report.addError(
            Messages.isrNeverClaims(callback.methodName()), callback.method());
      } else if (!canFalse && interrupt.shareVector() == ShareVector.TRUE) {
        report.addError(
            Messages.isrAlwaysClaims(callback.methodName()),
            callback.method(),
            callback.annotation(),
            AnnotationValues.explicitValue(callback.annotation(), "shareVector"));
      }
    }
  }

  /**
   * A shared line's ISR that returns what {@code queueWorkItemForIsr()} returned: false while the
   * work item is still queued from an earlier call, so a coalesced interrupt of this device would
   * be reported as another device's.
   */
  private static void reportQueueResults(
      DriverAnalysis analysis,
      MethodFacts facts,
      CallbackMethod callback,
      ValidationReport.Builder report) {
    for (ExpressionTree value : facts.returns()) {
      ExpressionTree e = value;
      while (e.getKind() == Tree.Kind.PARENTHESIZED) {
        e = ((ParenthesizedTree) e).getExpression();
      }
      for (CallSite call : facts.calls()) {
        if (call.tree() == e && call.op().orElse(null) == InterruptApi.Op.QUEUE_WORK_ITEM) {
          report.addAt(
              Messages.isrReturnsQueueResult(callback.methodName()),
              callback.method(),
              value,
              analysis.unit());
        }
      }
    }
  }

  private static Boolean constant(DriverAnalysis analysis, MethodFacts facts, ExpressionTree value) {
    ExpressionTree e = value;
    while (e.getKind() == Tree.Kind.PARENTHESIZED) {
      e = ((ParenthesizedTree) e).getExpression();
    }
    if (e.getKind() == Tree.Kind.BOOLEAN_LITERAL) {
      return (Boolean) ((LiteralTree) e).getValue();
    }
    if (e.getKind() == Tree.Kind.IDENTIFIER || e.getKind() == Tree.Kind.MEMBER_SELECT) {
      TreePath path = analysis.trees().getPath(analysis.unit(), e);
      Element element = path == null ? null : analysis.trees().getElement(path);
      if (element instanceof VariableElement
          && ((VariableElement) element).getConstantValue() instanceof Boolean) {
        return (Boolean) ((VariableElement) element).getConstantValue();
      }
    }
    return null;
  }
}
