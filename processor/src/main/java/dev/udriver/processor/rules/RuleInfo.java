package dev.udriver.processor.rules;

import dev.udriver.processor.diag.RuleId;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The metadata of one rule, on its class. The registry, the SARIF report and {@code docs/rules.md}
 * are derived from it, so they cannot drift; the longer explanation lives in the side-car resource
 * {@code dev/udriver/processor/rules/doc/<ID>.md}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RuleInfo {
  /** The stable id, printed in brackets as {@code [udriver:ID]} and used for suppression. */
  RuleId id();

  /** One line: what the rule forbids or requires. */
  String summary();

  Severity severity();

  Tier tier();

  /** The row of the rule catalogue ({@code reference/rules-anchors.md} §6), e.g. {@code R5}. */
  String catalog() default "";

  /** The published rules and documents the rule comes from. */
  String[] anchors();

  /** Further ids accepted in {@code @SuppressWarnings("udriver:...")}, e.g. the catalogue's id. */
  String[] altNames() default {};
}
