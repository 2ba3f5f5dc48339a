package dev.udriver.processor.rules;

/** What a rule looks at (the tiers of the rule catalogue). */
public enum Tier {
  /** Declarations only: annotations, signatures, modifiers ({@code javax.lang.model}). */
  DECLARATION("D"),
  /** One method body at a time, through the javac Tree API. */
  BODY("B"),
  /** Method bodies and the summaries of the helpers they call within the driver class. */
  INTERPROCEDURAL("I");

  private final String letter;

  Tier(String letter) {
    this.letter = letter;
  }

  /** The catalogue's letter: D, B or I. */
  public String letter() {
    return letter;
  }
}
