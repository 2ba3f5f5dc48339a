package dev.udriver.processor.validate;

import dev.udriver.processor.model.DriverModel;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Runs every declaration check on one driver and collects the findings in one report, so that a
 * single compilation shows all of a driver's problems.
 */
public final class DriverValidator {

  private final DriverClassValidator classValidator = new DriverClassValidator();
  private final PolicyValidator policyValidator = new PolicyValidator();
  private final CallbackSignatureValidator signatureValidator;
  private final DriverStructureValidator structureValidator = new DriverStructureValidator();

  public DriverValidator(Types types, Elements elements) {
    this.signatureValidator = new CallbackSignatureValidator(types, elements);
  }

  public ValidationReport validate(DriverModel model) {
    ValidationReport.Builder report = ValidationReport.about(model.type());
    classValidator.validate(model, report);
    policyValidator.validate(model, report);
    // Callbacks in an interface are already reported as misplaced; checking their signatures and
    // pairing as well would only repeat that.
    if (!model.type().getKind().isInterface()) {
      signatureValidator.validate(model, report);
      structureValidator.validate(model, report);
    }
    return report.build();
  }
}
