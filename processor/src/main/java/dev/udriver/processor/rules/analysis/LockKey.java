package dev.udriver.processor.rules.analysis;

import java.util.Objects;
import javax.lang.model.element.Element;

/**
 * Which interrupt lock a call works on: the resolved variable (parameter, field or local) its
 * receiver names, or {@link #UNKNOWN} for any other receiver expression. Two calls on one variable
 * work on one lock; the analysis does not follow aliasing.
 */
public record LockKey(Element variable) {

  /** A receiver that is not a plain variable, e.g. {@code device().interrupt()}. */
  public static final LockKey UNKNOWN = new LockKey(null);

  // Written out rather than left to the record (see LockState).
  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof LockKey && Objects.equals(variable, ((LockKey) other).variable));
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(variable);
  }

  /** How messages name the interrupt. */
  public String display() {
    return variable == null ? "the interrupt" : "'" + variable.getSimpleName() + "'";
  }
}
