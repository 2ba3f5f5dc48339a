package dev.udriver.processor.rules.body;

import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.Tree;
import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.BodyRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.rules.analysis.CallSite;
import dev.udriver.processor.rules.analysis.DriverAnalysis;
import dev.udriver.processor.rules.analysis.InterruptApi;
import dev.udriver.processor.rules.analysis.LockKey;
import dev.udriver.processor.rules.analysis.LockState;
import dev.udriver.processor.rules.analysis.MethodFacts;
import dev.udriver.processor.validate.ValidationReport;
import javax.lang.model.element.ExecutableElement;

/**
 * The device lock is used like the interrupt lock: every path out of a method, exception paths
 * included, releases what the method took; acquire and release strictly alternate (the lock is not
 * recursive, and a call of the driver's own helper that takes it counts as a second acquire); a
 * work item with automatic serialization, which the framework runs under the device lock, neither
 * takes it again, directly or through a helper, nor releases it. The analysis starts such a work
 * item with the framework's hold, so that one that gives it up and takes it back is reported once,
 * at the release.
 */
@RuleInfo(
    id = RuleId.DEVICE_LOCK_BALANCED,
    summary =
        "The device lock is released on every path out of the method that took it, never taken"
            + " twice, never released without an acquire.",
    severity = Severity.ERROR,
    tier = Tier.BODY,
    anchors = {
      "IWDFObject::AcquireLock / ReleaseLock: release what was acquired",
      "WDF verifier: a driver's recursive acquire of the callback lock asserts",
      "SDV WdfWaitlock, WdfWaitlockRelease, WdfSpinlockRelease: strict alternation, nothing held"
          + " at callback exit",
      "udriver verifier findings DEVICE_LOCK_NO_RECURSION, DEVICE_LOCK_RELEASE_WITHOUT_ACQUIRE,"
          + " DEVICE_LOCK_HELD_AFTER_CALLBACK, DEVICE_LOCK_RELEASED_BY_CALLBACK"
    })
public final class DeviceLockBalanced extends BodyRule {

  @Override
  public void check(DriverAnalysis analysis, ValidationReport.Builder report) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              String name = analysis.name(method);
              boolean serialized = analysis.contextDeviceLocked(method);
              for (MethodFacts.Leak leak : facts.leaks()) {
                // A serialized work item returns holding the lock, which the framework releases.
                if (!leak.key().device() || serialized) {
                  continue;
                }
                report.addAt(
                    leak.thrower().isEmpty()
                        ? Messages.deviceLockHeldOnReturn(name)
                        : Messages.deviceLockHeldOnException(
                            name,
                            thrower(leak.thrower().get()),
                            Describe.line(analysis, leak.thrower().get())),
                    method,
                    leak.acquiredAt(),
                    analysis.unit());
              }
              for (CallSite call : facts.calls()) {
                if (call.deferred()) {
                  continue;
                }
                if (call.op().isEmpty()) {
                  if (call.mayHoldDevice()) {
                    acquireThroughHelper(analysis, report, method, call, serialized);
                  }
                  continue;
                }
                InterruptApi.Op op = call.op().get();
                if (op.acquiresDevice()) {
                  if (heldByFramework(call, facts)) {
                    report.addAt(
                        Messages.deviceLockAcquireInSerializedWorkItem(
                            Describe.call(call), Describe.method(analysis, method)),
                        method,
                        call.tree(),
                        analysis.unit());
                  } else if (call.mayHold(LockKey.DEVICE)) {
                    report.addAt(
                        Messages.deviceLockSecondAcquire(Describe.call(call)),
                        method,
                        call.tree(),
                        analysis.unit());
                  }
                } else if (op.releasesDevice()
                    && (heldByFramework(call, facts) || mayReleaseUnheld(call))) {
                  report.addAt(
                      heldByFramework(call, facts)
                          ? Messages.deviceLockReleaseInSerializedWorkItem(
                              Describe.call(call), Describe.method(analysis, method))
                          : Messages.deviceLockReleaseWithoutAcquire(Describe.call(call)),
                      method,
                      call.tree(),
                      analysis.unit());
                }
              }
            });
  }

  /** A call of the driver's own method, made holding the device lock, that takes it again. */
  private static void acquireThroughHelper(
      DriverAnalysis analysis,
      ValidationReport.Builder report,
      ExecutableElement method,
      CallSite call,
      boolean serialized) {
    if (call.callee().isEmpty() || !analysis.isOwnMethod(call.callee().get())) {
      return;
    }
    analysis
        .deviceAcquirePath(call)
        .ifPresent(
            path ->
                report.addAt(
                    Messages.deviceLockAcquireThroughHelper(
                        serialized
                            ? Describe.method(analysis, method) + " (automaticSerialization)"
                            : "'" + analysis.name(method) + "'",
                        Describe.path(analysis.name(method), path)),
                    method,
                    call.tree(),
                    analysis.unit()));
  }

  /**
   * Whether some path reaching the call still holds the device lock the framework took around a
   * serialized work item (held since the method's declaration).
   */
  private static boolean heldByFramework(CallSite call, MethodFacts facts) {
    for (LockState state : call.before()) {
      if (state.held().get(LockKey.DEVICE) == facts.tree()) {
        return true;
      }
    }
    return false;
  }

  private static boolean mayReleaseUnheld(CallSite call) {
    for (LockState state : call.before()) {
      if (!state.holdsDevice()) {
        return true;
      }
    }
    return false;
  }

  private static String thrower(Tree tree) {
    if (tree instanceof MethodInvocationTree) {
      return ((MethodInvocationTree) tree).getMethodSelect() + "(..)";
    }
    if (tree instanceof NewClassTree) {
      return "new " + ((NewClassTree) tree).getIdentifier() + "(..)";
    }
    return "the throw";
  }
}
