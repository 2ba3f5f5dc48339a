package dev.udriver.processor;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How the processor writes each driver's wiring (option {@code udriver.wiring}). */
enum WiringForm {
  /**
   * The compiled classes, written directly to the class output: no further round, nothing more to
   * compile, but nothing in the compilation can refer to the wiring. The default: every build of a
   * driver pays for the wiring, and this form costs javac the least.
   */
  CLASS,
  /**
   * A Java source that javac parses and compiles in a further round, for authors who want to read
   * the generated wiring.
   */
  SOURCE;

  /** The form used when option {@code udriver.wiring} is absent, blank or unknown. */
  static final WiringForm DEFAULT = CLASS;

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
    values.add(DEFAULT.optionValue());
    for (WiringForm form : values()) {
      if (form != DEFAULT) {
        values.add(form.optionValue());
      }
    }
    return values;
  }
}
