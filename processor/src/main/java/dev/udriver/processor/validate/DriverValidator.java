package dev.udriver.processor.validate;

import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.rules.RuleRegistry;
import java.util.List;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Runs every declaration rule of the registry on one driver and collects the findings in one
 * report, so that a single compilation shows all of a driver's declaration problems.
 */
public final class DriverValidator {

  private final DeclarationRule.Env env;
  private final List<DeclarationRule> rules = RuleRegistry.declarationRules();

  public DriverValidator(Types types, Elements elements) {
    this.env = new DeclarationRule.Env(types, elements);
  }

  public ValidationReport validate(DriverModel model) {
    ValidationReport.Builder report = ValidationReport.about(model.type());
    // Callbacks in an interface are already reported as misplaced; checking their signatures and
    // pairing as well would only repeat that.
    boolean inInterface = model.type().getKind().isInterface();
    for (DeclarationRule rule : rules) {
      if (!inInterface || rule.appliesToInterfaces()) {
        rule.check(model, env, report);
      }
    }
    return report.build();
  }
}
