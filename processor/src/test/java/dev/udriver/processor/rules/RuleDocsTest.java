package dev.udriver.processor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** {@code docs/rules.md} is what the registry generates; {@code -Dudriver.updateDocs=true} rewrites it. */
class RuleDocsTest {

  static final Path DOCS = Path.of("../docs/rules.md");

  @Test
  void checkedInRulesDocMatchesTheRegistry() throws IOException {
    String generated = RuleDocsGenerator.render(RuleExamplesTest.ROOT);
    if (Boolean.getBoolean("udriver.updateDocs")) {
      Files.createDirectories(DOCS.getParent());
      Files.writeString(DOCS, generated, StandardCharsets.UTF_8);
    }
    String checkedIn =
        Files.exists(DOCS) ? Files.readString(DOCS, StandardCharsets.UTF_8) : "(missing)";
    assertEquals(
        generated,
        checkedIn,
        "docs/rules.md is out of date with the rule registry; regenerate it with\n  "
            + RuleDocsGenerator.REGENERATE);
  }
}
