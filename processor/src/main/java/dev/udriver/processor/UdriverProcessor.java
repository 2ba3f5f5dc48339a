package dev.udriver.processor;

import com.google.auto.service.AutoService;
import com.sun.source.util.Trees;
import dev.udriver.processor.diag.Messages;
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
 * </ul>
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
    driverStep = new DriverStep(env, Boolean.parseBoolean(env.getOptions().get(VERBOSE_OPTION)));
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
    return Set.of(VERBOSE_OPTION);
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
