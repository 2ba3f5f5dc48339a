package dev.udriver.processor.diag;

import java.util.Objects;

/**
 * One diagnostic text and the rule it reports.
 *
 * @param rule the stable rule id
 * @param text the explanation, without the id
 */
public record Message(RuleId rule, String text) {

  public Message {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(text, "text");
  }

  /** The text as printed: {@code [udriver:RULE_ID] text}. */
  public String formatted() {
    return "[udriver:" + rule.name() + "] " + text;
  }

  @Override
  public String toString() {
    return formatted();
  }
}
