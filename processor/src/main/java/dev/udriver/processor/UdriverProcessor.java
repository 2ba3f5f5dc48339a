package dev.udriver.processor;

import com.google.auto.service.AutoService;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskListener;
import com.sun.source.util.Trees;
import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.model.DriverModelFactory;
import dev.udriver.processor.report.Reporter;
import java.nio.file.Path;
import java.util.Optional;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.annotation.Annotation;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * The udriver annotation processor. For every class whose methods carry {@code @OnInterruptIsr},
 * {@code @OnInterruptWorkItem}, {@code @OnInterruptEnable} or {@code @OnInterruptDisable} it checks
 * the declarations (each problem is a compile error on the offending method, annotation or
 * attribute, with a bracketed rule id such as {@code [udriver:ISR_SIGNATURE]}) and, when the driver
 * is valid, generates its {@code DriverWiring}: {@code com.acme.Uart} gets {@code
 * com.acme.Uart_Wiring}.
 *
 * <p>Options, passed to javac as {@code -A<name>=<value>}:
 *
 * <ul>
 *   <li>{@code udriver.verbose} ({@code true}/{@code false}, default {@code false}): print a note
 *       for every wiring written and every driver deferred to a later round.
 *   <li>{@code udriver.sarif} (a file path): write every finding as a SARIF 2.1.0 log there when
 *       the compilation ends.
 *   <li>{@code udriver.wiring} ({@code class}/{@code source}, default {@code class}): write each
 *       wiring directly as its class files, which costs javac no further round and no compilation
 *       (no source in the same compilation can refer to a wiring class, which the runtime finds by
 *       name), or as a readable Java source, which javac compiles in a further round.
 * </ul>
 *
 * <p>The rules ({@link dev.udriver.processor.rules.RuleRegistry}) run in two stages: declaration
 * rules in the processing round, body rules after javac has attributed each driver class, through
 * a {@link TaskListener}. Where the compiler offers no {@link Trees} or {@link JavacTask} (ECJ,
 * some IDE and build-tool wrappers), body rules are skipped with one note. {@code
 * @SuppressWarnings("udriver:RULE_ID")} on a method or class suppresses a rule's findings there;
 * one note at the end counts them.
 *
 * <p>The processor is isolating in Gradle's terms (declared in {@code
 * META-INF/gradle/incremental.annotation.processors}): each wiring is derived from one driver and
 * names its top-level type as originating element.
 *
 * <p>A failure of the processor itself never crashes javac: it becomes one error with the stack
 * trace, and the processor stops for the rest of the compilation.
 */
@AutoService(Processor.class)
public final class UdriverProcessor extends AbstractProcessor {

  /** Option that turns on progress notes. */
  public static final String VERBOSE_OPTION = "udriver.verbose";

  /** Option naming the file for the SARIF 2.1.0 report. */
  public static final String SARIF_OPTION = "udriver.sarif";

  /** Option choosing how the wiring is written: {@code class} (default) or {@code source}. */
  public static final String WIRING_OPTION = "udriver.wiring";

  private DriverStep driverStep;

  /**
   * Syntax trees for method-body rules; null when the compiler offers none (ECJ, some IDE and
   * build-tool wrappers), in which case only declaration checks run.
   */
  private Trees trees;

  private boolean failed;

  @Override
  public synchronized void init(ProcessingEnvironment env) {
    super.init(env);
    trees = treesOrNull(env);
    Optional<Path> sarif =
        Optional.ofNullable(env.getOptions().get(SARIF_OPTION))
            .filter(path -> !path.isBlank())
            .map(Path::of);
    DriverModelFactory modelFactory = new DriverModelFactory(env.getElementUtils());
    Reporter reporter = new Reporter(env.getMessager(), trees, sarif);
    BodyChecker bodyChecker = null;
    if (trees != null) {
      bodyChecker =
          new BodyChecker(
              trees,
              env.getTypeUtils(),
              env.getElementUtils(),
              env.getMessager(),
              modelFactory,
              reporter);
      if (!listen(env, bodyChecker)) {
        bodyChecker = null;
      }
    }
    driverStep =
        new DriverStep(
            env,
            Boolean.parseBoolean(env.getOptions().get(VERBOSE_OPTION)),
            wiringForm(env),
            trees,
            modelFactory,
            reporter,
            bodyChecker);
  }

  /** The form option {@code udriver.wiring} asks for; an unknown value is an error. */
  private static WiringForm wiringForm(ProcessingEnvironment env) {
    String value = env.getOptions().get(WIRING_OPTION);
    if (value == null || value.isBlank()) {
      return WiringForm.DEFAULT;
    }
    Optional<WiringForm> form = WiringForm.of(value.trim());
    if (form.isEmpty()) {
      env.getMessager()
          .printMessage(
              Diagnostic.Kind.ERROR,
              Messages.invalidOption(WIRING_OPTION, value, WiringForm.optionValues()).formatted());
      return WiringForm.DEFAULT;
    }
    return form.get();
  }

  private static Trees treesOrNull(ProcessingEnvironment env) {
    try {
      return Trees.instance(env);
    } catch (IllegalArgumentException | LinkageError e) {
      env.getMessager()
          .printMessage(Diagnostic.Kind.NOTE, Messages.treesUnavailable(e.toString()).formatted());
      return null;
    }
  }

  /** Registers the body checker with javac; false, after one note, where that is impossible. */
  private static boolean listen(ProcessingEnvironment env, TaskListener listener) {
    try {
      JavacTask.instance(env).addTaskListener(listener);
      return true;
    } catch (IllegalArgumentException | IllegalStateException | LinkageError e) {
      env.getMessager()
          .printMessage(Diagnostic.Kind.NOTE, Messages.treesUnavailable(e.toString()).formatted());
      return false;
    }
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    Set<String> names = new LinkedHashSet<>();
    for (Class<? extends Annotation> annotation : DriverStep.ANNOTATIONS) {
      names.add(annotation.getCanonicalName());
    }
    return names;
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public Set<String> getSupportedOptions() {
    return Set.of(VERBOSE_OPTION, SARIF_OPTION, WIRING_OPTION);
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    if (failed) {
      return false;
    }
    try {
      driverStep.process(round);
    } catch (RuntimeException | LinkageError e) {
      failed = true;
      String message = Messages.processorFailure(stackTrace(e)).formatted();
      processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, message);
    }
    // Other processors may look at the same annotations.
    return false;
  }

  private static String stackTrace(Throwable failure) {
    StringWriter text = new StringWriter();
    failure.printStackTrace(new PrintWriter(text));
    return text.toString();
  }
}
