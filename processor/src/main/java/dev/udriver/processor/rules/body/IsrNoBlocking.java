package dev.udriver.processor.rules.body;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.BodyRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.rules.analysis.CallSite;
import dev.udriver.processor.rules.analysis.DriverAnalysis;
import dev.udriver.processor.rules.analysis.MethodFacts;
import dev.udriver.processor.validate.ValidationReport;
import dev.udriver.processor.model.CallbackRole;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * The ISR does not block: no blocking JDK call, {@code @MayBlock} method, {@code synchronized}
 * block or method, directly or through the driver's own helpers; reported at the call in the ISR
 * with the path to the blocking call. A {@code synchronized} ISR is reported on its declaration.
 */
@RuleInfo(
    id = RuleId.ISR_NO_BLOCKING,
    summary =
        "The ISR does not block (sleep, wait, join, blocking queues, locks, synchronized, I/O,"
            + " logging, Future.get), not even through the driver's helpers.",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    catalog = "R11",
    anchors = {
      "WUDF_INTERRUPT_ISR: a level-triggered ISR runs while the OS interrupt dispatch waits for it",
      "Linux might_sleep: sleeping function called from invalid context",
      "Linux hacking.rst: Recipes for Deadlock",
      "Zephyr: only isr-ok functions in an ISR"
    })
public final class IsrNoBlocking extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              boolean isr =
                  analysis.callback(method).map(c -> c.role() == CallbackRole.ISR).orElse(false);
              if (!isr) {
                return;
              }
              String start = analysis.name(method);
              // A synchronized ISR waits for its monitor before its first statement runs.
              if (method.getModifiers().contains(Modifier.SYNCHRONIZED)) {
                report.addError(Messages.isrSynchronized(start), method);
              }
              for (CallSite call : facts.calls()) {
                if (call.deferred()) {
                  continue;
                }
                Optional<String> direct = analysis.directBlocking(call);
                if (direct.isPresent()) {
                  report.addAt(
                      Messages.isrBlocks(Describe.path(start, List.of(direct.get()))),
                      method,
                      call.tree(),
                      analysis.unit());
                } else if (call.callee().isPresent()
                    && analysis.isOwnMethod(call.callee().get())
                    && !DriverAnalysis.isrSafe(call.callee().get())
                    && !DriverAnalysis.holdsInterruptLock(call.callee().get())) {
                  analysis
                      .blockingPath(call.callee().get())
                      .ifPresent(
                          path ->
                              report.addAt(
                                  Messages.isrBlocks(Describe.path(start, path)),
                                  method,
                                  call.tree(),
                                  analysis.unit()));
                }
              }
              for (MethodFacts.SyncSite sync : facts.synchronizedBlocks()) {
                if (!sync.deferred()) {
                  report.addAt(
                      Messages.isrBlocks(Describe.path(start, List.of("synchronized block"))),
                      method,
                      sync.tree(),
                      analysis.unit());
                }
              }
            });
  }
}
