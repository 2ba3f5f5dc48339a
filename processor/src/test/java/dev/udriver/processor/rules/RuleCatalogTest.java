package dev.udriver.processor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.report.RuleDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every registered rule has a unique id, metadata, a doc side-car and tested examples. */
class RuleCatalogTest {

  private static final Pattern UPPER_SNAKE = Pattern.compile("[A-Z][A-Z0-9]*(_[A-Z0-9]+)*");

  @Test
  void idsAndAlternativeNamesAreUniqueUpperSnakeCase() {
    Set<String> names = new HashSet<>();
    for (Rule rule : RuleRegistry.all()) {
      String id = rule.id().name();
      assertTrue(UPPER_SNAKE.matcher(id).matches(), id);
      assertTrue(names.add(id), "duplicate id " + id);
    }
    for (Rule rule : RuleRegistry.all()) {
      for (String alt : rule.info().altNames()) {
        assertTrue(UPPER_SNAKE.matcher(alt).matches(), alt);
        assertFalse(names.contains(alt), alt + " is already a rule id");
      }
    }
  }

  @Test
  void everyRuleHasMetadataADocAndBadAndGoodExamples() {
    for (Rule rule : RuleRegistry.all()) {
      RuleInfo info = rule.info();
      String id = info.id().name();
      assertFalse(info.summary().isBlank(), id);
      assertTrue(info.anchors().length > 0, id + " names no anchor");
      assertTrue(RuleDocs.explanation(info.id()).isPresent(), "no " + RuleDocs.resource(info.id()));
      Path examples = RuleExamplesTest.ROOT.resolve(id);
      assertTrue(Files.isRegularFile(examples.resolve("Bad.java")), id + " has no Bad.java");
      assertTrue(Files.isRegularFile(examples.resolve("Good.java")), id + " has no Good.java");
    }
  }

  @Test
  void everyExampleDirectoryBelongsToARule() throws Exception {
    for (Path file : RuleExamplesTest.sources()) {
      String directory = file.getParent().getFileName().toString();
      RuleId id = RuleId.valueOf(directory);
      assertTrue(RuleRegistry.info(id).isPresent(), directory + " is no registered rule");
    }
  }

  @Test
  void theCatalogueHasAtLeastTwentyFiveRulesWithBothSeverities() {
    List<Rule> all = RuleRegistry.all();
    assertTrue(all.size() >= 25, "only " + all.size() + " rules");
    assertTrue(all.stream().anyMatch(r -> r.info().severity() == Severity.WARNING));
    assertEquals(
        all.size(),
        RuleRegistry.declarationRules().size() + RuleRegistry.bodyRules().size());
  }
}
