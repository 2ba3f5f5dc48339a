package dev.udriver.processor.rules.analysis;

import java.util.List;
import java.util.Objects;
import javax.lang.model.element.Element;

/**
 * Which lock a call works on. For an interrupt lock: the resolved variable (parameter, field or
 * local) its receiver names, with the variables it is selected through ({@code rx} in {@code
 * rx.irq}; {@code this} and class names add none); for any other receiver ({@code irqs[0]}, {@code
 * channel(0).irq()}) the receiver's source text. Two calls on one such chain, or on the same text,
 * work on one lock, so {@code rx.irq} and {@code tx.irq}, or {@code irqs[0]} and {@code irqs[1]},
 * are two locks; the analysis does not follow aliasing. For the device lock: always {@link
 * #DEVICE}, whatever the receiver ({@code device}, {@code interrupt.getDevice()}, a field), since a
 * driver serves one device and so takes one device lock.
 *
 * @param variable the interrupt variable; null for another receiver and for the device
 * @param owners the variables the receiver is selected through, outermost first
 * @param expression the receiver's text when it is no chain of variables; null otherwise
 * @param device whether this is the device lock rather than an interrupt lock
 */
public record LockKey(Element variable, List<Element> owners, String expression, boolean device) {

  /** No lock: the key of a call that is no lock call, or of a handle the analysis lost. */
  public static final LockKey UNKNOWN = new LockKey(null, List.of(), null, false);

  /** The device's lock ({@code Device.acquireLock()}). */
  public static final LockKey DEVICE = new LockKey(null, List.of(), null, true);

  /** The interrupt lock of {@code variable}, selected through {@code owners}. */
  public LockKey(Element variable, List<Element> owners) {
    this(variable, List.copyOf(owners), null, false);
  }

  /** The interrupt lock of a receiver that is no chain of variables, named by its text. */
  public static LockKey ofExpression(String text) {
    return new LockKey(null, List.of(), text, false);
  }

  // Written out rather than left to the record (see LockState).
  @Override
  public boolean equals(Object other) {
    return this == other
        || (other instanceof LockKey
            && device == ((LockKey) other).device
            && Objects.equals(variable, ((LockKey) other).variable)
            && owners.equals(((LockKey) other).owners)
            && Objects.equals(expression, ((LockKey) other).expression));
  }

  @Override
  public int hashCode() {
    return ((Objects.hashCode(variable) * 31 + owners.hashCode()) * 31
                + Objects.hashCode(expression))
            * 31
        + (device ? 1 : 0);
  }

  /** How messages name the interrupt (or the device). */
  public String display() {
    if (device) {
      return "the device";
    }
    if (expression != null) {
      return "'" + expression + "'";
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
