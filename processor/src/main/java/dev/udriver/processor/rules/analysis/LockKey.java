package dev.udriver.processor.rules.analysis;

import java.util.Objects;
import javax.lang.model.element.Element;

/**
 * Which lock a call works on. For an interrupt lock: the resolved variable (parameter, field or
 * local) its receiver names, or {@link #UNKNOWN} for any other receiver expression; two calls on
 * one variable work on one lock, and the analysis does not follow aliasing. For the device lock:
 * always {@link #DEVICE}, whatever the receiver ({@code device}, {@code interrupt.getDevice()}, a
 * field), since a driver serves one device and so takes one device lock.
 *
 * @param variable the interrupt variable; null for an unknown receiver and for the device
 * @param device whether this is the device lock rather than an interrupt lock
 */
public record LockKey(Element variable, boolean device) {

  /** A receiver that is not a plain variable, e.g. {@code device().interrupt()}. */
  public static final LockKey UNKNOWN = new LockKey(null, false);

  /** The device's lock ({@code Device.acquireLock()}). */
  public static final LockKey DEVICE = new LockKey(null, true);

  /** The interrupt lock of {@code variable}. */
  public LockKey(Element variable) {
    this(variable, false);
  }

  // Written out rather than left to the record (see LockState).
  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof LockKey
            && device == ((LockKey) other).device
            && Objects.equals(variable, ((LockKey) other).variable));
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(variable) * 31 + (device ? 1 : 0);
  }

  /** How messages name the interrupt (or the device). */
  public String display() {
    if (device) {
      return "the device";
    }
    return variable == null ? "the interrupt" : "'" + variable.getSimpleName() + "'";
  }
}
