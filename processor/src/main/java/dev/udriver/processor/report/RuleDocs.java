package dev.udriver.processor.report;

import dev.udriver.processor.diag.RuleId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The side-car prose of each rule: {@code dev/udriver/processor/rules/doc/<RULE_ID>.md} in the
 * processor jar, the longer explanation that {@code docs/rules.md} and the SARIF report show.
 */
public final class RuleDocs {

  private RuleDocs() {}

  /** The resource path of a rule's explanation. */
  public static String resource(RuleId id) {
    return "dev/udriver/processor/rules/doc/" + id.name() + ".md";
  }

  /** The explanation of a rule, if its side-car exists. */
  public static Optional<String> explanation(RuleId id) {
    try (InputStream in = RuleDocs.class.getClassLoader().getResourceAsStream(resource(id))) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The first paragraph of a rule's explanation. */
  public static Optional<String> firstParagraph(RuleId id) {
    return explanation(id).map(text -> text.split("\\R\\s*\\R", 2)[0].replaceAll("\\s*\\R\\s*", " "));
  }
}
