package dev.udriver.runtime;

import java.lang.System.Logger.Level;

/**
 * Receives what a device reports while it runs: contained callback failures, lines disabled after
 * an interrupt storm, verifier findings, callbacks that hang, and warnings. Called on the thread
 * where the event happened (the watchdog's for hung callbacks and waits); implementations return
 * quickly and do not throw. The default implementation logs through {@link System.Logger}.
 */
public interface DeviceListener {

  /** A listener that logs to the {@code dev.udriver} system logger. */
  DeviceListener LOGGING = new DeviceListener() {};

  /**
   * A driver callback threw. The failure was contained: the dispatcher or worker goes on, the
   * interrupt keeps working, and the failure is counted in its statistics.
   *
   * <p>Also reported here, as an {@link InterruptRuleViolation}, verifier on or off: a callback
   * that returned holding an interrupt lock (its own, or in the ISR, enable and disable callbacks
   * another interrupt's), which the runtime released for it; and an ISR whose dispatcher found the
   * lock already held by itself (left held by an earlier callback on that thread), released
   * instead of waiting for itself, after which the ISR ran.
   *
   * @param callback the callback's WDF name: {@code OnInterruptIsr}, {@code OnInterruptWorkItem},
   *     {@code OnInterruptEnable} or {@code OnInterruptDisable}
   */
  default void callbackFailed(Interrupt interrupt, String callback, Throwable failure) {
    System.getLogger("dev.udriver")
        .log(Level.ERROR, "interrupt " + interrupt + ": " + callback + " failed", failure);
  }

  /**
   * A level-triggered line kept interrupting without its ISR claiming it and was disconnected, as
   * Linux disables an IRQ when 99,900 of 100,000 interrupts go unhandled.
   */
  default void interruptStorm(Interrupt interrupt, long unclaimed, long isrCalls) {
    System.getLogger("dev.udriver")
        .log(
            Level.ERROR,
            "interrupt " + interrupt + ": disabled after " + unclaimed + " of " + isrCalls
                + " interrupts went unclaimed (level-triggered line stuck asserted)");
  }

  /**
   * The verifier found a rule broken (only with the verifier on: {@link
   * DeviceNode.Builder#verifier(boolean)}). The default logs it with its stack at WARNING.
   */
  default void verifierFinding(VerifierFinding finding) {
    System.getLogger("dev.udriver").log(Level.WARNING, finding.toString(), finding.stack());
  }

  /**
   * A callback has been running longer than its watchdog threshold and still runs; reported once
   * per call, from the watchdog thread of the device's dispatchers (shared by the devices of a
   * group). The default logs it with the stuck thread's stack at ERROR.
   */
  default void callbackHung(HungCallback hung) {
    System.getLogger("dev.udriver").log(Level.ERROR, hung.toString(), hung.stack());
  }

  /**
   * Something worth knowing that is not a failure, such as resources no interrupt object takes, or
   * a stop or disable() that has waited past the watchdog threshold for a callback to return.
   */
  default void warning(String message) {
    System.getLogger("dev.udriver").log(Level.WARNING, message);
  }
}
