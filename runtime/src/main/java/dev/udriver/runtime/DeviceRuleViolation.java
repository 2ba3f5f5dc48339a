package dev.udriver.runtime;

import java.util.Objects;

/**
 * Misuse of a device's lock ({@link Device#acquireLock()}) at run time: what WDF answers with a
 * verifier assert. The message names the device and the rule broken. Thrown to the caller; when a
 * callback returned holding the lock, or released the framework's hold, there is no caller left,
 * and it goes to {@link DeviceListener#callbackFailed} instead. Its rule is the {@link
 * VerifierFinding} id the verifier reports.
 */
public final class DeviceRuleViolation extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String device;
  private final String rule;

  public DeviceRuleViolation(String device, String rule, String message) {
    super("device " + device + ": " + rule + ": " + message);
    this.device = Objects.requireNonNull(device);
    this.rule = Objects.requireNonNull(rule);
  }

  /** The device's name. */
  public String device() {
    return device;
  }

  /** A stable rule identifier, upper snake case (for example {@code DEVICE_LOCK_NO_RECURSION}). */
  public String rule() {
    return rule;
  }
}
