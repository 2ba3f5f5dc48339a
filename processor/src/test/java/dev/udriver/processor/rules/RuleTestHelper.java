package dev.udriver.processor.rules;

import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.udriver.processor.UdriverProcessor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;

/**
 * Compiles a test source with the processor and checks its diagnostics against the expectations
 * written in it, in the style of Error Prone's {@code CompilationTestHelper}: a comment {@code //
 * EXPECT: RULE_ID} says that the next line that is not an {@code EXPECT} comment carries exactly one
 * finding of that rule. Every udriver error and warning must be expected, every expectation met, and
 * javac must report no other error.
 */
public final class RuleTestHelper {

  private static final Pattern EXPECT = Pattern.compile("^\\s*// EXPECT: ([A-Z_]+)\\s*$");
  private static final Pattern FINDING = Pattern.compile("^\\[udriver:([A-Z_]+)\\] ");

  private RuleTestHelper() {}

  /** An expected or actual finding: a rule on a line. */
  public record Finding(String rule, long line) implements Comparable<Finding> {
    @Override
    public int compareTo(Finding other) {
      int byLine = Long.compare(line, other.line);
      return byLine != 0 ? byLine : rule.compareTo(other.rule);
    }

    @Override
    public String toString() {
      return "line " + line + ": " + rule;
    }
  }

  /** The findings a source declares with {@code // EXPECT:} comments, sorted. */
  public static List<Finding> expected(List<String> lines) {
    List<Finding> expected = new ArrayList<>();
    List<String> pending = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = EXPECT.matcher(lines.get(i));
      if (m.matches()) {
        pending.add(m.group(1));
      } else {
        for (String rule : pending) {
          expected.add(new Finding(rule, i + 1));
        }
        pending.clear();
      }
    }
    expected.sort(null);
    return expected;
  }

  /** Compiles {@code file} with the processor. */
  public static Compilation compile(Path file, String... options) {
    JavaFileObject source =
        JavaFileObjects.forSourceString(className(file), read(file));
    return javac().withProcessors(new UdriverProcessor()).withOptions((Object[]) options)
        .compile(source);
  }

  /** The udriver errors and warnings of a compilation, sorted; fails on any other error. */
  public static List<Finding> actual(Compilation compilation) {
    List<Finding> actual = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : compilation.diagnostics()) {
      if (d.getKind() == Diagnostic.Kind.NOTE || d.getKind() == Diagnostic.Kind.OTHER) {
        continue;
      }
      String message = d.getMessage(Locale.ROOT);
      Matcher m = FINDING.matcher(message);
      if (m.find()) {
        actual.add(new Finding(m.group(1), d.getLineNumber()));
      } else if (d.getKind() == Diagnostic.Kind.ERROR) {
        others.add("line " + d.getLineNumber() + ": " + message);
      }
    }
    assertEquals(List.of(), others, "javac errors that are not udriver findings");
    actual.sort(null);
    return actual;
  }

  /** Compiles the file and asserts that its findings are exactly the expected ones. */
  public static void assertFindingsAsExpected(Path file) {
    Compilation compilation = compile(file);
    List<Finding> expected = expected(lines(file));
    assertEquals(
        expected,
        actual(compilation),
        () -> "findings in " + file + "; diagnostics:\n" + compilation.diagnostics());
  }

  static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String read(Path file) {
    return String.join("\n", lines(file)) + "\n";
  }

  /** {@code example.Bad} for {@code .../Bad.java}: every test source is in package example. */
  static String className(Path file) {
    String name = file.getFileName().toString();
    return "example." + name.substring(0, name.length() - ".java".length());
  }
}
