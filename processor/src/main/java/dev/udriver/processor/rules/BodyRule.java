package dev.udriver.processor.rules;

import dev.udriver.processor.rules.analysis.DriverAnalysis;
import dev.udriver.processor.validate.ValidationReport;

/**
 * A rule on method bodies. It runs once javac has attributed the driver class and reads the facts
 * of {@link DriverAnalysis} (lock states per call, contexts, helper summaries); it decides and
 * words findings, and computes no facts of its own.
 */
public abstract class BodyRule implements Rule {

  /** Adds this rule's findings about one driver to {@code report}; never throws on user code. */
  public abstract void check(DriverAnalysis analysis, ValidationReport.Builder report);
}
