package dev.udriver.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How the processor writes each driver's wiring (option {@code udriver.wiring}). */
enum WiringForm {
  /** A Java source that javac parses and compiles in a further round: the default. */
  SOURCE,
  /**
   * The compiled classes, written directly to the class output: no further round, nothing more to
   * compile, but nothing in the compilation can refer to the wiring.
   */
  CLASS;

  /** The option's value for this form. */
  String optionValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The form an option value names; empty for an unknown value. */
  static Optional<WiringForm> of(String optionValue) {
    for (WiringForm form : values()) {
      if (form.optionValue().equals(optionValue)) {
        return Optional.of(form);
      }
    }
    return Optional.empty();
  }

  /** Every accepted option value, the default first. */
  static List<String> optionValues() {
    List<String> values = new ArrayList<>();
    for (WiringForm form : values()) {
      values.add(form.optionValue());
    }
    return values;
  }
}
