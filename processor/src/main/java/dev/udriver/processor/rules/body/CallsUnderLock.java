package dev.udriver.processor.rules.body;

import dev.udriver.processor.diag.Message;
import dev.udriver.processor.rules.analysis.CallSite;
import dev.udriver.processor.rules.analysis.DriverAnalysis;
import dev.udriver.processor.rules.analysis.InterruptApi;
import dev.udriver.processor.validate.ValidationReport;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;
import javax.lang.model.element.ExecutableElement;

/**
 * The scan the lock-order rules share: every call made while a lock is held is reported if it is a
 * wanted interrupt API call, or if it enters one of the driver's own methods from which a chain of
 * helpers reaches such a call (reported at the call, with the chain).
 */
final class CallsUnderLock {

  /** The lock held at the call, with what that means for the scan. */
  enum Held {
    /** An interrupt lock: the ISR, enable, disable, {@code @HoldsInterruptLock}, locked regions. */
    INTERRUPT_LOCK,
    /** The device lock: its locked regions and work items with automatic serialization. */
    DEVICE_LOCK;

    private boolean heldThroughout(DriverAnalysis analysis, ExecutableElement method) {
      return this == INTERRUPT_LOCK
          ? analysis.contextLocked(method)
          : analysis.contextDeviceLocked(method);
    }

    /** The method's calls made while the lock may be held, deferred ones left out. */
    private List<CallSite> callsUnder(DriverAnalysis analysis, ExecutableElement method) {
      return this == INTERRUPT_LOCK
          ? analysis.callsUnderInterruptLock(method)
          : analysis.callsUnderDeviceLock(method);
    }

    /** A {@code @HoldsInterruptLock} helper runs locked by contract: its own calls are checked. */
    private boolean checkedOnItsOwn(ExecutableElement callee) {
      return this == INTERRUPT_LOCK && DriverAnalysis.holdsInterruptLock(callee);
    }

    private String context(DriverAnalysis analysis, ExecutableElement method, boolean throughout) {
      return this == INTERRUPT_LOCK
          ? Describe.context(analysis, method, throughout)
          : Describe.serializedContext(analysis, method, throughout);
    }
  }

  /** A finding's message from the call, the context and the helper chain ({@code ""} if direct). */
  interface MessageFactory {
    Message create(String call, String context, String path);
  }

  private CallsUnderLock() {}

  static void report(
      DriverAnalysis analysis,
      ValidationReport.Builder report,
      Held held,
      Predicate<InterruptApi.Op> wanted,
      BiFunction<DriverAnalysis, CallSite, Optional<List<String>>> pathTo,
      MessageFactory message) {
    analysis
        .facts()
        .forEach(
            (method, facts) -> {
              boolean throughout = held.heldThroughout(analysis, method);
              for (CallSite call : held.callsUnder(analysis, method)) {
                if (call.op().isPresent() && wanted.test(call.op().get())) {
                  report.addAt(
                      message.create(
                          Describe.call(call), held.context(analysis, method, throughout), ""),
                      method,
                      call.tree(),
                      analysis.unit());
                  continue;
                }
                Optional<ExecutableElement> callee = call.callee();
                if (callee.isEmpty()
                    || !analysis.isOwnMethod(callee.get())
                    || held.checkedOnItsOwn(callee.get())) {
                  continue;
                }
                Optional<List<String>> path = pathTo.apply(analysis, call);
                if (path.isPresent()) {
                  report.addAt(
                      message.create(
                          path.get().get(path.get().size() - 1),
                          held.context(analysis, method, throughout),
                          Describe.path(analysis.name(method), path.get())),
                      method,
                      call.tree(),
                      analysis.unit());
                }
              }
            });
  }
}
