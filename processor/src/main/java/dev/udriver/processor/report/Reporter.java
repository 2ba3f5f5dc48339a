package dev.udriver.processor.report;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.udriver.processor.diag.Message;
import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.validate.ValidationReport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.annotation.processing.Messager;
import javax.tools.Diagnostic;

/**
 * Prints findings where javac shows them: on the element, annotation or attribute value, or on the
 * expression in a method body. Drops findings suppressed with {@code @SuppressWarnings} (counting
 * them for one summary note at the end), and records every printed finding for the SARIF report.
 */
public final class Reporter {

  private final Messager messager;
  private final Trees trees;
  private final Optional<Path> sarifFile;
  private final SarifLog sarif = new SarifLog();
  private final Map<RuleId, Integer> suppressed = new EnumMap<>(RuleId.class);
  private boolean finished;

  /**
   * @param trees for positions of findings in the SARIF report; may be null
   * @param sarifFile where to write the SARIF report at the end, if requested
   */
  public Reporter(Messager messager, Trees trees, Optional<Path> sarifFile) {
    this.messager = messager;
    this.trees = trees;
    this.sarifFile = sarifFile;
  }

  /**
   * Prints a report's findings, except the suppressed ones.
   *
   * @return whether an error was printed
   */
  public boolean print(ValidationReport report) {
    boolean errors = false;
    for (ValidationReport.Item item : report.items()) {
      if (Suppressions.isSuppressed(item.rule(), item.element())) {
        suppressed.merge(item.rule(), 1, Integer::sum);
        continue;
      }
      errors |= item.kind() == Diagnostic.Kind.ERROR;
      if (item.site().isPresent()) {
        ValidationReport.TreeSite site = item.site().get();
        trees.printMessage(item.kind(), item.message(), site.tree(), site.unit());
      } else if (item.value().isPresent()) {
        messager.printMessage(
            item.kind(),
            item.message(),
            item.element(),
            item.annotation().orElseThrow(),
            item.value().get());
      } else if (item.annotation().isPresent()) {
        messager.printMessage(item.kind(), item.message(), item.element(), item.annotation().get());
      } else {
        messager.printMessage(item.kind(), item.message(), item.element());
      }
      if (sarifFile.isPresent()) {
        sarif.add(result(item));
      }
    }
    return errors;
  }

  /** Prints the suppression summary and writes the SARIF report; only the first call acts. */
  public void finish() {
    if (finished) {
      return;
    }
    finished = true;
    summary().ifPresent(m -> messager.printMessage(Diagnostic.Kind.NOTE, m.formatted()));
    if (sarifFile.isPresent()) {
      try {
        sarif.write(sarifFile.get());
      } catch (IOException | RuntimeException e) {
        messager.printMessage(
            Diagnostic.Kind.WARNING,
            Messages.sarifNotWritten(sarifFile.get().toString(), String.valueOf(e.getMessage()))
                .formatted());
      }
    }
  }

  /** One note counting the suppressed findings per rule; empty when nothing was suppressed. */
  public Optional<Message> summary() {
    if (suppressed.isEmpty()) {
      return Optional.empty();
    }
    int total = 0;
    List<String> perRule = new ArrayList<>();
    for (Map.Entry<RuleId, Integer> entry : suppressed.entrySet()) {
      total += entry.getValue();
      perRule.add(entry.getKey().name() + " " + entry.getValue());
    }
    return Optional.of(Messages.suppressed(total, String.join(", ", perRule)));
  }

  private SarifLog.Result result(ValidationReport.Item item) {
    String prefix = "[udriver:" + item.rule().name() + "] ";
    String text =
        item.message().startsWith(prefix) ? item.message().substring(prefix.length()) : item.message();
    String level =
        item.kind() == Diagnostic.Kind.ERROR
            ? "error"
            : item.kind() == Diagnostic.Kind.NOTE ? "note" : "warning";
    CompilationUnitTree unit = null;
    Tree tree = null;
    if (item.site().isPresent()) {
      unit = item.site().get().unit();
      tree = item.site().get().tree();
    } else if (trees != null) {
      TreePath path =
          item.annotation().isPresent()
              ? trees.getPath(item.element(), item.annotation().get())
              : trees.getPath(item.element());
      if (path != null) {
        unit = path.getCompilationUnit();
        tree = path.getLeaf();
      }
    }
    if (unit == null || tree == null) {
      return new SarifLog.Result(item.rule().name(), level, text, Optional.empty(), 0, 0);
    }
    URI uri = unit.getSourceFile().toUri();
    SourcePositions positions = trees.getSourcePositions();
    long start = positions.getStartPosition(unit, tree);
    if (start < 0) {
      return new SarifLog.Result(item.rule().name(), level, text, Optional.of(uri), 0, 0);
    }
    return new SarifLog.Result(
        item.rule().name(),
        level,
        text,
        Optional.of(uri),
        unit.getLineMap().getLineNumber(start),
        unit.getLineMap().getColumnNumber(start));
  }
}
