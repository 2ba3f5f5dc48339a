package dev.udriver.runtime;

import java.util.Objects;

/**
 * Misuse of an interrupt object at run time: what WDF answers with a verifier break or a bug check.
 * The message names the interrupt and the rule broken.
 */
public final class InterruptRuleViolation extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String interrupt;
  private final String rule;

  public InterruptRuleViolation(String interrupt, String rule, String message) {
    super("interrupt " + interrupt + ": " + rule + ": " + message);
    this.interrupt = Objects.requireNonNull(interrupt);
    this.rule = Objects.requireNonNull(rule);
  }

  /** The interrupt, as its object prints itself ({@code device/name#messageNumber}). */
  public String interrupt() {
    return interrupt;
  }

  /** A stable rule identifier, upper snake case (for example {@code INTERRUPT_LOCK_NO_RECURSION}). */
  public String rule() {
    return rule;
  }
}
