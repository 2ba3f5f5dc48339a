package dev.udriver.processor.rules;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every source under {@code src/test/resources/rules/<RULE_ID>/}: a {@code Bad*.java} expects at
 * least one finding of its rule and gets exactly the findings it expects; a {@code Good*.java}, its
 * clean twin, expects none and gets none.
 */
class RuleExamplesTest {

  static final Path ROOT = Path.of("src/test/resources/rules");

  static List<Path> sources() throws IOException {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @TestFactory
  Stream<DynamicTest> everyExampleHasExactlyItsExpectedFindings() throws IOException {
    return sources().stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    ROOT.relativize(file).toString(),
                    () -> {
                      String rule = file.getParent().getFileName().toString();
                      List<RuleTestHelper.Finding> expected =
                          RuleTestHelper.expected(RuleTestHelper.lines(file));
                      if (file.getFileName().toString().startsWith("Bad")) {
                        assertTrue(
                            expected.stream().anyMatch(f -> f.rule().equals(rule)),
                            file + " expects no " + rule + " finding");
                      } else {
                        assertFalse(
                            !expected.isEmpty(), file + " is a clean twin but expects findings");
                      }
                      RuleTestHelper.assertFindingsAsExpected(file);
                    }));
  }
}
