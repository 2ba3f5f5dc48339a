package dev.udriver.processor.validate;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import dev.udriver.processor.diag.Message;
import dev.udriver.processor.diag.RuleId;
import dev.udriver.processor.rules.RuleRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * The findings about one driver type: each with its rule, its text and the most precise place to
 * show it (an element, and where one is at fault, its annotation and attribute value, so that IDEs
 * underline the right token; or an expression in a method body). Rules add to it and never throw;
 * the processor prints it (see {@code report.Reporter}) and generates only from a clean report.
 */
public final class ValidationReport {

  /**
   * One finding.
   *
   * @param rule the rule it reports
   * @param kind ERROR, WARNING or NOTE
   * @param message the printed text, rule id included
   * @param element where it is reported
   * @param annotation the annotation at fault, if one is
   * @param value the attribute value at fault, if one is
   * @param site the expression or statement at fault inside a method body, if the finding is about
   *     one; {@code element} is then the method that contains it
   */
  public record Item(
      RuleId rule,
      Diagnostic.Kind kind,
      String message,
      Element element,
      Optional<AnnotationMirror> annotation,
      Optional<AnnotationValue> value,
      Optional<TreeSite> site) {}

  /**
   * A place in a method body.
   *
   * @param tree the expression or statement
   * @param unit its compilation unit
   */
  public record TreeSite(Tree tree, CompilationUnitTree unit) {}

  private final TypeElement subject;
  private final List<Item> items;

  private ValidationReport(TypeElement subject, List<Item> items) {
    this.subject = subject;
    this.items = List.copyOf(items);
  }

  /** Starts a report about {@code subject}. */
  public static Builder about(TypeElement subject) {
    return new Builder(subject);
  }

  public TypeElement subject() {
    return subject;
  }

  /** The findings in the order they were found. */
  public List<Item> items() {
    return items;
  }


  /** Collects findings. */
  public static final class Builder {
    private final TypeElement subject;
    private final List<Item> items = new ArrayList<>();

    private Builder(TypeElement subject) {
      this.subject = subject;
    }

    /** A finding on an element, printed with its rule's severity. */
    public Builder addError(Message message, Element element) {
      return add(message, element, Optional.empty(), Optional.empty());
    }

    /** An error on an annotation of an element. */
    public Builder addError(Message message, Element element, AnnotationMirror annotation) {
      return add(message, element, Optional.of(annotation), Optional.empty());
    }

    /** An error on one attribute value of an annotation, or on the annotation without one. */
    public Builder addError(
        Message message,
        Element element,
        AnnotationMirror annotation,
        Optional<AnnotationValue> value) {
      return add(message, element, Optional.of(annotation), value);
    }

    /** A finding on an expression or statement in the body of {@code method}. */
    public Builder addAt(Message message, Element method, Tree tree, CompilationUnitTree unit) {
      items.add(
          new Item(
              message.rule(),
              RuleRegistry.severity(message.rule()).kind(),
              message.formatted(),
              method,
              Optional.empty(),
              Optional.empty(),
              Optional.of(new TreeSite(tree, unit))));
      return this;
    }

    private Builder add(
        Message message,
        Element element,
        Optional<AnnotationMirror> annotation,
        Optional<AnnotationValue> value) {
      items.add(
          new Item(
              message.rule(),
              RuleRegistry.severity(message.rule()).kind(),
              message.formatted(),
              element,
              annotation,
              value,
              Optional.empty()));
      return this;
    }

    public ValidationReport build() {
      return new ValidationReport(subject, items);
    }
  }
}
