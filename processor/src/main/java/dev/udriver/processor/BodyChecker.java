package dev.udriver.processor;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import com.sun.source.util.Trees;
import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.model.DriverModelFactory;
import dev.udriver.processor.report.Reporter;
import dev.udriver.processor.rules.BodyRule;
import dev.udriver.processor.rules.RuleRegistry;
import dev.udriver.processor.rules.analysis.BlockingApi;
import dev.udriver.processor.rules.analysis.DriverAnalysis;
import dev.udriver.processor.rules.analysis.InPlaceApi;
import dev.udriver.processor.rules.analysis.InterruptApi;
import dev.udriver.processor.rules.analysis.JavaBase;
import dev.udriver.processor.validate.ValidationReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.Messager;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.Diagnostic;

/**
 * Runs the body rules once javac has attributed a driver class (after its {@code ANALYZE} phase),
 * when every call in the bodies resolves to its method: a processor round sees unattributed trees.
 * The drivers come from the processing rounds ({@link #add}); the API elements the analysis
 * compares calls with are resolved once, at the first driver. At the end of the compilation the
 * reporter writes its summary and SARIF report.
 */
final class BodyChecker implements TaskListener {

  private final Trees trees;
  private final Types types;
  private final Elements elements;
  private final Messager messager;
  private final DriverModelFactory modelFactory;
  private final Reporter reporter;
  private final List<BodyRule> rules = RuleRegistry.bodyRules();
  /** Drivers waiting for javac's analysis, by the qualified name of their top-level class. */
  private final Map<String, Set<String>> pending = new HashMap<>();

  private Optional<InterruptApi> interruptApi;
  private BlockingApi blockingApi;
  private InPlaceApi inPlaceApi;
  private TypeMirror runtimeException;
  private boolean failed;

  BodyChecker(
      Trees trees,
      Types types,
      Elements elements,
      Messager messager,
      DriverModelFactory modelFactory,
      Reporter reporter) {
    this.trees = trees;
    this.types = types;
    this.elements = elements;
    this.messager = messager;
    this.modelFactory = modelFactory;
    this.reporter = reporter;
  }

  /** Checks the bodies of this driver once javac has analysed it. */
  void add(TypeElement driver) {
    pending
        .computeIfAbsent(topLevelName(driver), k -> new LinkedHashSet<>())
        .add(driver.getQualifiedName().toString());
  }

  @Override
  public void started(TaskEvent event) {}

  @Override
  public void finished(TaskEvent event) {
    if (event.getKind() == TaskEvent.Kind.ANALYZE) {
      TypeElement analysed = event.getTypeElement();
      if (analysed != null && !pending.isEmpty() && !failed) {
        analysed(analysed, event.getCompilationUnit());
      }
    } else if (event.getKind() == TaskEvent.Kind.COMPILATION) {
      reporter.finish();
    }
  }

  private void analysed(TypeElement analysed, CompilationUnitTree unit) {
    Set<String> drivers = pending.remove(topLevelName(analysed));
    if (drivers == null) {
      return;
    }
    for (String name : drivers) {
      // Mostly the driver is the analysed top-level class itself; a nested one is looked up.
      TypeElement driver =
          analysed.getQualifiedName().contentEquals(name)
              ? analysed
              : DriverStep.typeInModuleOf(elements, analysed, name);
      if (driver == null) {
        continue;
      }
      try {
        check(driver, unit);
      } catch (RuntimeException | LinkageError e) {
        failed = true;
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        messager.printMessage(
            Diagnostic.Kind.ERROR, Messages.processorFailure(text.toString()).formatted());
        return;
      }
    }
  }

  private void check(TypeElement driver, CompilationUnitTree unit) {
    if (blockingApi == null) {
      interruptApi = InterruptApi.resolve(elements);
      blockingApi = new BlockingApi(types, elements);
      inPlaceApi = new InPlaceApi(types, elements);
      runtimeException = JavaBase.type(elements, "java.lang.RuntimeException").asType();
    }
    Optional<DriverAnalysis> analysis =
        DriverAnalysis.analyze(
            modelFactory.create(driver),
            unit,
            trees,
            types,
            runtimeException,
            interruptApi,
            inPlaceApi,
            blockingApi);
    if (analysis.isEmpty()) {
      return;
    }
    ValidationReport.Builder report = ValidationReport.about(driver);
    for (BodyRule rule : rules) {
      rule.check(analysis.get(), report);
    }
    reporter.print(report.build());
  }

  private static String topLevelName(TypeElement type) {
    Element e = type;
    while (e.getEnclosingElement() instanceof TypeElement) {
      e = e.getEnclosingElement();
    }
    return ((TypeElement) e).getQualifiedName().toString();
  }
}
