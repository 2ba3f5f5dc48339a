package dev.udriver.processor.rules.body;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.BodyRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.rules.analysis.DriverAnalysis;
import dev.udriver.processor.rules.analysis.MethodFacts;
import dev.udriver.processor.validate.ValidationReport;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;

/**
 * Every path out of a method, exceptional paths included, releases each interrupt lock the method
 * acquired. Reported at the acquire, naming the call whose exception would leave with the lock.
 */
@RuleInfo(
    id = RuleId.INTERRUPT_LOCK_BALANCED_ON_EXIT,
    summary =
        "Every path out of a method, exception paths included, releases the interrupt lock the"
            + " method acquired.",
    severity = Severity.ERROR,
    tier = Tier.BODY,
    catalog = "R5",
    anchors = {
      "SDV WdfInterruptLockRelease: acquire and release balanced within a callback",
      "SDV WdfInterruptLock: at the end of any callback the driver must not hold the lock",
      "SDV SpinlockRelease, WdfSpinlockRelease, WdfWaitlockRelease",
      "CodeQL IrqlInconsistentWithRequired (C28166); sparse: context imbalance at exit"
    })
public final class InterruptLockBalancedOnExit extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              for (MethodFacts.Leak leak : facts.leaks()) {
                if (leak.key().device()) {
                  continue; // DEVICE_LOCK_BALANCED's
                }
                String name = analysis.name(method);
                report.addAt(
                    leak.thrower().isEmpty()
                        ? Messages.lockHeldOnReturn(leak.key().display(), name)
                        : Messages.lockHeldOnException(
                            leak.key().display(),
                            name,
                            thrower(leak.thrower().get()),
                            Describe.line(analysis, leak.thrower().get())),
                    method,
                    leak.acquiredAt(),
                    analysis.unit());
              }
            });
  }

  private static String thrower(Tree tree) {
    if (tree instanceof MethodInvocationTree) {
      Tree select = ((MethodInvocationTree) tree).getMethodSelect();
      String text = select.toString();
      return text + "(..)";
    }
    if (tree instanceof NewClassTree) {
      return "new " + ((NewClassTree) tree).getIdentifier() + "(..)";
    }
    return "the throw";
  }
}
