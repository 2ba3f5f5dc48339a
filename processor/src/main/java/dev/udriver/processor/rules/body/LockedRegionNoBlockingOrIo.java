package dev.udriver.processor.rules.body;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.BodyRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.rules.analysis.CallSite;
import dev.udriver.processor.rules.analysis.DriverAnalysis;
import dev.udriver.processor.rules.analysis.LockState;
import dev.udriver.processor.rules.analysis.MethodFacts;
import dev.udriver.processor.validate.ValidationReport;
import dev.udriver.processor.model.CallbackRole;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;

/**
 * Code that holds the interrupt lock (the enable and disable callbacks, {@code @HoldsInterruptLock}
 * methods, explicit locked regions, lambdas run by {@code synchronize}) does not block or perform
 * I/O, directly or through the driver's helpers; nor is such a method {@code synchronized}, which
 * waits for the monitor with the lock held. The ISR has its own rule, {@code ISR_NO_BLOCKING}.
 */
@RuleInfo(
    id = RuleId.LOCKED_REGION_NO_BLOCKING_OR_IO,
    summary =
        "While the interrupt lock is held (enable, disable, locked regions) nothing blocks or"
            + " performs I/O, not even through the driver's helpers.",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    catalog = "R12",
    anchors = {
      "SDV ReqSendWhileSpinlock; wdm-spinlocksafe",
      "Introduction to spin locks: hold no longer than 25 microseconds, take no other lock that"
          + " could deadlock",
      "IWDFInterrupt::AcquireInterruptLock: for a few lines of code only"
    })
public final class LockedRegionNoBlockingOrIo extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              if (analysis.callback(method).map(c -> c.role() == CallbackRole.ISR).orElse(false)) {
                return;
              }
              boolean locked = analysis.contextLocked(method);
              String start = analysis.name(method);
              // The framework or the caller takes the interrupt lock before the method enters its
              // monitor, so a synchronized one waits for the monitor with the lock held.
              if (locked && method.getModifiers().contains(Modifier.SYNCHRONIZED)) {
                report.addError(
                    Messages.lockedRegionSynchronized(Describe.context(analysis, method, true)),
                    method);
              }
              for (CallSite call : analysis.callsUnderInterruptLock(method)) {
                Optional<String> direct = analysis.directBlocking(call);
                if (direct.isPresent()) {
                  report.addAt(
                      Messages.lockedRegionBlocks(
                          Describe.context(analysis, method, locked),
                          Describe.path(start, List.of(direct.get()))),
                      method,
                      call.tree(),
                      analysis.unit());
                  continue;
                }
                if (call.callee().isEmpty()) {
                  continue;
                }
                ExecutableElement callee = call.callee().get();
                if (analysis.isOwnMethod(callee)
                    && !DriverAnalysis.isrSafe(callee)
                    && !DriverAnalysis.holdsInterruptLock(callee)) {
                  analysis
                      .blockingPath(callee)
                      .ifPresent(
                          path ->
                              report.addAt(
                                  Messages.lockedRegionBlocks(
                                      Describe.context(analysis, method, locked),
                                      Describe.path(start, path)),
                                  method,
                                  call.tree(),
                                  analysis.unit()));
                }
              }
              for (MethodFacts.SyncSite sync : facts.synchronizedBlocks()) {
                boolean held = locked || holdsAny(sync.before());
                if (!sync.deferred() && held) {
                  report.addAt(
                      Messages.lockedRegionBlocks(
                          Describe.context(analysis, method, locked),
                          Describe.path(start, List.of("synchronized block"))),
                      method,
                      sync.tree(),
                      analysis.unit());
                }
              }
            });
  }

  private static boolean holdsAny(Set<LockState> states) {
    for (LockState state : states) {
      if (state.holdsAny()) {
        return true;
      }
    }
    return false;
  }
}
