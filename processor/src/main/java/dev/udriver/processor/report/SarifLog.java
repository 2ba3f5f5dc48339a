package dev.udriver.processor.report;

import dev.udriver.processor.rules.Rule;
import dev.udriver.processor.rules.RuleInfo;
import dev.udriver.processor.rules.RuleRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every finding of a compilation as a SARIF 2.1.0 log, for GitHub code scanning and IDEs: one run
 * of the tool {@code udriver} whose rules array is the registry's metadata, with one result per
 * printed finding (suppressed ones are left out). Files under the working directory are given
 * relative to {@code %SRCROOT%}, the working directory.
 */
public final class SarifLog {

  /**
   * One finding.
   *
   * @param ruleId the rule
   * @param level {@code error}, {@code warning} or {@code note}
   * @param message the text, without the bracketed id
   * @param uri the source file, if known
   * @param line 1-based line, 0 if unknown
   * @param column 1-based column, 0 if unknown
   */
  public record Result(
      String ruleId, String level, String message, Optional<URI> uri, long line, long column) {}

  private final List<Result> results = new ArrayList<>();

  public void add(Result result) {
    results.add(result);
  }

  public List<Result> results() {
    return List.copyOf(results);
  }

  /** Writes the log to {@code file}. */
  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, render(Path.of("").toAbsolutePath().toUri()), StandardCharsets.UTF_8);
  }

  /** The log as JSON; paths under {@code root} relative to it. */
  public String render(URI root) {
    List<Rule> rules = RuleRegistry.all();
    StringBuilder out = new StringBuilder();
    out.append("{\n");
    out.append("  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n");
    out.append("  \"version\": \"2.1.0\",\n");
    out.append("  \"runs\": [\n    {\n");
    out.append("      \"tool\": {\n        \"driver\": {\n");
    out.append("          \"name\": \"udriver\",\n");
    out.append("          \"informationUri\": \"https://github.com/udriver/udriver/blob/main/docs/rules.md\",\n");
    out.append("          \"rules\": [");
    for (int i = 0; i < rules.size(); i++) {
      RuleInfo info = rules.get(i).info();
      out.append(i == 0 ? "\n" : ",\n");
      out.append("            {\n");
      out.append("              \"id\": ").append(Json.string(info.id().name())).append(",\n");
      out.append("              \"name\": ")
          .append(Json.string(rules.get(i).getClass().getSimpleName()))
          .append(",\n");
      out.append("              \"shortDescription\": {\"text\": ")
          .append(Json.string(info.summary()))
          .append("},\n");
      out.append("              \"fullDescription\": {\"text\": ")
          .append(Json.string(RuleDocs.firstParagraph(info.id()).orElse(info.summary())))
          .append("},\n");
      out.append("              \"defaultConfiguration\": {\"level\": ")
          .append(Json.string(info.severity().sarifLevel()))
          .append("},\n");
      out.append("              \"properties\": {\"tier\": ")
          .append(Json.string(info.tier().letter()))
          .append(", \"catalog\": ")
          .append(Json.string(info.catalog()))
          .append(", \"anchors\": ")
          .append(Json.strings(Arrays.asList(info.anchors())))
          .append("}\n");
      out.append("            }");
    }
    out.append("\n          ]\n        }\n      },\n");
    out.append("      \"originalUriBaseIds\": {\"%SRCROOT%\": {\"uri\": ")
        .append(Json.string(root.toString()))
        .append("}},\n");
    out.append("      \"results\": [");
    for (int i = 0; i < results.size(); i++) {
      Result result = results.get(i);
      out.append(i == 0 ? "\n" : ",\n");
      out.append("        {\n");
      out.append("          \"ruleId\": ").append(Json.string(result.ruleId())).append(",\n");
      int index = indexOf(rules, result.ruleId());
      if (index >= 0) {
        out.append("          \"ruleIndex\": ").append(index).append(",\n");
      }
      out.append("          \"level\": ").append(Json.string(result.level())).append(",\n");
      out.append("          \"message\": {\"text\": ")
          .append(Json.string(result.message()))
          .append("}");
      if (result.uri().isPresent()) {
        URI uri = result.uri().get();
        URI relative = root.relativize(uri);
        boolean underRoot = !relative.isAbsolute();
        out.append(",\n          \"locations\": [\n            {\"physicalLocation\": {");
        out.append("\"artifactLocation\": {\"uri\": ")
            .append(Json.string(relative.toString()));
        if (underRoot) {
          out.append(", \"uriBaseId\": \"%SRCROOT%\"");
        }
        out.append("}");
        if (result.line() > 0) {
          out.append(", \"region\": {\"startLine\": ").append(result.line());
          if (result.column() > 0) {
            out.append(", \"startColumn\": ").append(result.column());
          }
          out.append("}");
        }
        out.append("}}\n          ]");
      }
      out.append("\n        }");
    }
    out.append(results.isEmpty() ? "]\n" : "\n      ]\n");
    out.append("    }\n  ]\n}\n");
    return out.toString();
  }

  private static int indexOf(List<Rule> rules, String id) {
    for (int i = 0; i < rules.size(); i++) {
      if (rules.get(i).id().name().equals(id)) {
        return i;
      }
    }
    return -1;
  }
}
