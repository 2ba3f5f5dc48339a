package dev.udriver.processor.rules.decl;

import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.rules.DeclarationRule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.Severity;
import dev.udriver.processor.rules.Tier;
import dev.udriver.processor.validate.ValidationReport;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.lang.model.element.ExecutableElement;

/** A method carries at most one of the four role annotations. */
@RuleInfo(
    id = RuleId.ONE_ROLE_PER_METHOD,
    summary = "A method carries at most one of the four interrupt role annotations.",
    severity = Severity.ERROR,
    tier = Tier.DECLARATION,
    catalog = "R2",
    anchors = {
      "CodeQL MultipleFunctionClassAnnotations (C28177)",
      "SDV: duplicate entry points for a function role type"
    },
    altNames = {"CALLBACK_ROLE_UNIQUE"})
public final class OneRolePerMethod extends DeclarationRule {

  @Override
  public void check(DriverModel model, Env env, ValidationReport.Builder report) {
    Map<ExecutableElement, CallbackMethod> firstRole = new LinkedHashMap<>();
    for (CallbackMethod callback : model.callbacks()) {
      CallbackMethod first = firstRole.putIfAbsent(callback.method(), callback);
      if (first != null) {
        report.addError(
            Messages.oneRolePerMethod(callback.methodName(), first.role(), callback.role()),
            callback.method(),
            callback.annotation());
      }
    }
  }
}
