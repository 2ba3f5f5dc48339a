package dev.udriver.processor.rules.analysis;

import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Element;

/**
 * Which lock a call works on. For an interrupt lock: the resolved variable (parameter, field or
 * local) its receiver names, with the variables it is selected through ({@code rx} in {@code
 * rx.irq}; {@code this} and class names add none), or {@link #UNKNOWN} for any other receiver
 * expression; two calls on one such chain work on one lock, so {@code rx.irq} and {@code tx.irq}
 * are two locks, and the analysis does not follow aliasing. For the device lock: always {@link
 * #DEVICE}, whatever the receiver ({@code device}, {@code interrupt.getDevice()}, a field), since a
 * driver serves one device and so takes one device lock.
 *
 * @param variable the interrupt variable; null for an unknown receiver and for the device
 * @param owners the variables the receiver is selected through, outermost first
 * @param device whether this is the device lock rather than an interrupt lock
 */
public record LockKey(Element variable, List<Element> owners, boolean device) {

  /** A receiver that is not a chain of variables, e.g. {@code device().interrupt()}. */
  public static final LockKey UNKNOWN = new LockKey(null, List.of(), false);

  /** The device's lock ({@code Device.acquireLock()}). */
  public static final LockKey DEVICE = new LockKey(null, List.of(), true);

  /** The interrupt lock of {@code variable}, selected through {@code owners}. */
  public LockKey(Element variable, List<Element> owners) {
    this(variable, List.copyOf(owners), false);
  }

  // Written out rather than left to the record (see LockState).
  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof LockKey
            && device == ((LockKey) other).device
            && Objects.equals(variable, ((LockKey) other).variable)
            && owners.equals(((LockKey) other).owners));
  }

  @Override
  public int hashCode() {
    return (Objects.hashCode(variable) * 31 + owners.hashCode()) * 31 + (device ? 1 : 0);
  }

  /** How messages name the interrupt (or the device). */
  public String display() {
    if (device) {
      return "the device";
    }
    if (variable == null) {
      return "the interrupt";
    }
    StringBuilder name = new StringBuilder("'");
    for (Element owner : owners) {
      name.append(owner.getSimpleName()).append('.');
    }
    return name.append(variable.getSimpleName()).append('\'').toString();
  }
}
