package dev.udriver.processor.rules;

import dev.udriver.processor.diag.RuleId;

/**
 * One rule: a class annotated with {@link RuleInfo}. {@link DeclarationRule}s look at the driver
 * model, {@link BodyRule}s at the facts the body analysis found.
 */
public interface Rule {

  /** This rule's metadata. */
  default RuleInfo info() {
    RuleInfo info = getClass().getAnnotation(RuleInfo.class);
    if (info == null) {
      throw new IllegalStateException(getClass().getName() + " lacks @RuleInfo");
    }
    return info;
  }

  /** This rule's id. */
  default RuleId id() {
    return info().id();
  }
}
