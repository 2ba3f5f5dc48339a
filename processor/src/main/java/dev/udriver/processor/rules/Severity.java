package dev.udriver.processor.rules;

import javax.tools.Diagnostic;

/** How a rule's findings are printed. */
public enum Severity {
  /** A compile error: the build fails and no wiring is generated for the driver. */
  ERROR(Diagnostic.Kind.ERROR, "error"),
  /** A compile warning. */
  WARNING(Diagnostic.Kind.WARNING, "warning");

  private final Diagnostic.Kind kind;
  private final String sarifLevel;

  Severity(Diagnostic.Kind kind, String sarifLevel) {
    this.kind = kind;
    this.sarifLevel = sarifLevel;
  }

  /** The javac diagnostic kind. */
  public Diagnostic.Kind kind() {
    return kind;
  }

  /** The SARIF 2.1.0 {@code level}. */
  public String sarifLevel() {
    return sarifLevel;
  }
}
