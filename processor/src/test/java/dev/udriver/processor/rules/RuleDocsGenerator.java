package dev.udriver.processor.rules;

import dev.udriver.processor.report.RuleDocs;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders {@code docs/rules.md} from the registry: each rule's metadata, its side-car explanation,
 * and its tested bad and good example sources (so the examples in the docs are known to compile and
 * to produce exactly the findings they show).
 */
final class RuleDocsGenerator {

  static final String REGENERATE =
      "./mvnw -q -B -pl processor -am verify -Dtest=RuleDocsTest"
          + " -Dsurefire.failIfNoSpecifiedTests=false -Dudriver.updateDocs=true";

  private RuleDocsGenerator() {}

  static String render(Path examples) {
    StringBuilder out = new StringBuilder();
    out.append("# udriver compile-time rules\n\n");
    out.append("<!-- Generated from the rule registry by RuleDocsTest; do not edit. Regenerate with\n");
    out.append("     ").append(REGENERATE).append(" -->\n\n");
    out.append(
        "The udriver annotation processor checks every driver when it compiles. Each finding names"
            + " its rule in brackets, `[udriver:RULE_ID]`; suppress one with"
            + " `@SuppressWarnings(\"udriver:RULE_ID\")` on the method or class. Tier D rules read"
            + " declarations, tier B rules read one method body, tier I rules also follow the"
            + " driver's own helper methods. The catalogue column refers to the rule catalogue"
            + " (`rules-anchors.md` §6).\n\n");
    out.append("| id | severity | tier | catalogue | summary |\n");
    out.append("|---|---|---|---|---|\n");
    for (Rule rule : RuleRegistry.all()) {
      RuleInfo info = rule.info();
      out.append("| [")
          .append(info.id().name())
          .append("](#")
          .append(info.id().name().toLowerCase(java.util.Locale.ROOT))
          .append(") | ")
          .append(info.severity().name().toLowerCase(java.util.Locale.ROOT))
          .append(" | ")
          .append(info.tier().letter())
          .append(" | ")
          .append(info.catalog().isEmpty() ? "-" : info.catalog())
          .append(" | ")
          .append(info.summary().replace("|", "\\|"))
          .append(" |\n");
    }
    for (Rule rule : RuleRegistry.all()) {
      RuleInfo info = rule.info();
      String id = info.id().name();
      out.append("\n## ").append(id).append("\n\n");
      out.append("**")
          .append(info.summary())
          .append("**\n\n");
      out.append("Severity: ")
          .append(info.severity().name().toLowerCase(java.util.Locale.ROOT))
          .append(" · Tier: ")
          .append(info.tier().letter())
          .append(" (")
          .append(info.tier().name().toLowerCase(java.util.Locale.ROOT))
          .append(")");
      if (!info.catalog().isEmpty()) {
        out.append(" · Catalogue: ").append(info.catalog());
      }
      if (info.altNames().length > 0) {
        out.append(" · Also suppressed by: ").append(String.join(", ", info.altNames()));
      }
      out.append(" · Class: `").append(rule.getClass().getSimpleName()).append("`\n\n");
      out.append("Anchors:\n\n");
      for (String anchor : info.anchors()) {
        out.append("- ").append(anchor).append("\n");
      }
      out.append("\n").append(RuleDocs.explanation(info.id()).orElse("")).append("\n");
      appendExample(out, "Bad", examples.resolve(id).resolve("Bad.java"));
      appendExample(out, "Good", examples.resolve(id).resolve("Good.java"));
    }
    return out.toString();
  }

  private static void appendExample(StringBuilder out, String title, Path file) {
    List<String> lines = RuleTestHelper.lines(file);
    int start = 0;
    while (start < lines.size()
        && (lines.get(start).startsWith("package ")
            || lines.get(start).startsWith("import ")
            || lines.get(start).isBlank())) {
      start++;
    }
    out.append("\n")
        .append(title)
        .append(title.equals("Bad") ? " (each `// EXPECT:` marks the line of a finding)" : "")
        .append(":\n\n```java\n");
    for (String line : lines.subList(start, lines.size())) {
      out.append(line).append("\n");
    }
    out.append("```\n");
  }
}
