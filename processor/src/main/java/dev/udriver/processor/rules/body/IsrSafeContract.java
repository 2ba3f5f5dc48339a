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
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * An {@code @IsrSafe} method of the driver does not block, directly or through the driver's
 * helpers, and is not also {@code @MayBlock}. Call sites trust the contract; this rule checks it.
 */
@RuleInfo(
    id = RuleId.ISR_SAFE_CONTRACT,
    summary =
        "An @IsrSafe method does not block, not even through helpers, and is not also @MayBlock.",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    catalog = "R13",
    anchors = {
      "Zephyr: isr-ok functions",
      "SAL _IRQL_requires_max_ with CodeQL IrqlTooHigh",
      "Android @AnyThread / Lint WrongThread"
    })
public final class IsrSafeContract extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              if (!DriverAnalysis.isrSafe(method)) {
                return;
              }
              if (DriverAnalysis.mayBlock(method)) {
                report.addError(Messages.isrSafeAndMayBlock(analysis.name(method)), method);
              }
              // Its callers trust it: a monitor it enters itself would wait unseen in the ISR.
              if (method.getModifiers().contains(Modifier.SYNCHRONIZED)) {
                report.addError(
                    Messages.isrSafeBlocks(
                        Describe.path(analysis.name(method), List.of("synchronized method"))),
                    method);
              }
              String start = analysis.name(method);
              for (CallSite call : facts.calls()) {
                if (call.deferred()) {
                  continue;
                }
                Optional<String> direct = analysis.directBlocking(call);
                Optional<List<String>> path =
                    direct.isPresent()
                        ? Optional.of(List.of(direct.get()))
                        : call.callee()
                            .filter(analysis::isOwnMethod)
                            .filter(c -> !DriverAnalysis.isrSafe(c))
                            .flatMap(analysis::blockingPath);
                path.ifPresent(
                    p ->
                        report.addAt(
                            Messages.isrSafeBlocks(Describe.path(start, p)),
                            method,
                            call.tree(),
                            analysis.unit()));
              }
              for (MethodFacts.SyncSite sync : facts.synchronizedBlocks()) {
                if (!sync.deferred()) {
                  report.addAt(
                      Messages.isrSafeBlocks(Describe.path(start, List.of("synchronized block"))),
                      method,
                      sync.tree(),
                      analysis.unit());
                }
              }
            });
  }
}
