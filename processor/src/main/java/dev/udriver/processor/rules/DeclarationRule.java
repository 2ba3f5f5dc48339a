package dev.udriver.processor.rules;

import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.validate.ValidationReport;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/** A rule on the driver's declarations, run in the processing round on the driver model. */
public abstract class DeclarationRule implements Rule {

  /** The compiler's utilities, for rules that compare types. */
  public record Env(Types types, Elements elements) {}

  /**
   * Whether the rule also runs when the annotations sit in an interface, which {@code
   * DRIVER_NOT_INSTANTIABLE} already reports; rules about callbacks would only repeat it.
   */
  public boolean appliesToInterfaces() {
    return false;
  }

  /** Adds this rule's findings about {@code model} to {@code report}; never throws on user code. */
  public abstract void check(DriverModel model, Env env, ValidationReport.Builder report);
}
