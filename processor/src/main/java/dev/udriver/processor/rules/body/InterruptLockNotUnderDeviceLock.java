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
import dev.udriver.processor.validate.ValidationReport;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.ExecutableElement;

/**
 * An interrupt lock is not taken with a blocking call ({@code acquireInterruptLock()}, {@code
 * lock()}, {@code synchronize(..)}) while the device lock is held: in a region of the method that
 * holds it, or in a work item with automatic serialization, which the framework runs under it;
 * directly or through the driver's own helpers. {@code tryToAcquireInterruptLock()} does not wait
 * and is not reported, as the runtime's verifier does not report it.
 */
@RuleInfo(
    id = RuleId.INTERRUPT_LOCK_NOT_UNDER_DEVICE_LOCK,
    summary =
        "No blocking interrupt-lock acquire while the device lock is held, including in a work"
            + " item with automaticSerialization.",
    severity = Severity.ERROR,
    tier = Tier.INTERPROCEDURAL,
    anchors = {
      "WDF_INTERRUPT_CONFIG AutomaticSerialization: such a work item must not call"
          + " WdfInterruptAcquireLock",
      "IWDFObject::AcquireLock: the callback lock automatic serialization takes",
      "Linux lockdep: circular locking dependency (lock-order inversion)",
      "udriver verifier finding INTERRUPT_LOCK_UNDER_DEVICE_LOCK"
    })
public final class InterruptLockNotUnderDeviceLock extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              boolean serialized = analysis.contextDeviceLocked(method);
              for (CallSite call : facts.calls()) {
                if (call.deferred() || !(serialized || call.mayHoldDevice())) {
                  continue;
                }
                InterruptApi.Op op = call.op().orElse(null);
                if (op != null && op.acquires()) {
                  report.addAt(
                      Messages.interruptLockUnderDeviceLock(
                          Describe.call(call), context(analysis, method, serialized), ""),
                      method,
                      call.tree(),
                      analysis.unit());
                  continue;
                }
                if (call.callee().isEmpty()) {
                  continue;
                }
                ExecutableElement callee = call.callee().get();
                if (!analysis.isOwnMethod(callee)) {
                  continue;
                }
                Optional<List<String>> path = analysis.acquirePath(callee);
                if (path.isPresent()) {
                  report.addAt(
                      Messages.interruptLockUnderDeviceLock(
                          path.get().get(path.get().size() - 1),
                          context(analysis, method, serialized),
                          Describe.path(analysis.name(method), path.get())),
                      method,
                      call.tree(),
                      analysis.unit());
                }
              }
            });
  }

  /** The serialized work item by its role, else the method by name. Built only for a finding. */
  static String context(DriverAnalysis analysis, ExecutableElement method, boolean serialized) {
    return serialized
        ? Describe.method(analysis, method) + " (automaticSerialization)"
        : "'" + analysis.name(method) + "'";
  }
}
