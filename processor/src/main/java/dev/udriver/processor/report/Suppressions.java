package dev.udriver.processor.report;

import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.RuleRegistry;
import java.util.Optional;
import javax.lang.model.element.Element;

/**
 * {@code @SuppressWarnings("udriver:RULE_ID")} on the element a finding is about or on any element
 * enclosing it (method, class, outer class) suppresses the finding. A rule's alternative names
 * ({@link RuleInfo#altNames()}) are accepted too.
 */
public final class Suppressions {

  /** The prefix of udriver's suppression keys. */
  public static final String PREFIX = "udriver:";

  private Suppressions() {}

  /** Whether a finding of {@code rule} on {@code element} is suppressed. */
  public static boolean isSuppressed(RuleId rule, Element element) {
    Optional<RuleInfo> info = RuleRegistry.info(rule);
    if (info.isEmpty()) {
      return false;
    }
    for (Element e = element; e != null; e = e.getEnclosingElement()) {
      SuppressWarnings suppress = e.getAnnotation(SuppressWarnings.class);
      if (suppress == null) {
        continue;
      }
      for (String key : suppress.value()) {
        if (!key.startsWith(PREFIX)) {
          continue;
        }
        String name = key.substring(PREFIX.length());
        if (name.equals(rule.name())) {
          return true;
        }
        for (String alt : info.get().altNames()) {
          if (name.equals(alt)) {
            return true;
          }
        }
      }
    }
    return false;
  }
}
