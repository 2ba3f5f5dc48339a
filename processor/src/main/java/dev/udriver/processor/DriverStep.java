package dev.udriver.processor;

import com.sun.source.util.Trees;
import dev.udriver.annotation.InterruptPolicy;
import dev.udriver.processor.diag.Message;
import dev.udriver.processor.diag.Messages;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.DriverModelFactory;
import dev.udriver.processor.report.Reporter;
import dev.udriver.processor.validate.DriverValidator;
import dev.udriver.processor.validate.ValidationReport;
import dev.udriver.processor.writing.DriverWiringGenerator;
import dev.udriver.processor.writing.WiringClassGenerator;
import dev.udriver.processor.writing.WiringNames;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * One round of driver processing: finds the types that carry udriver annotations, then per driver
 * model → declaration rules → print the report → generate the wiring if the report is clean, and
 * hand the driver to the {@link BodyChecker}, which runs the body rules after javac's analysis.
 *
 * <p>A driver whose declarations refer to types javac cannot resolve yet (for example a type
 * another processor generates in this round) is deferred to the next round. Deferred drivers are
 * kept by qualified name, since a {@link TypeElement} is not valid across rounds, and are reported
 * only if still unresolved when processing is over.
 */
final class DriverStep {

  /** The annotations that make a type a driver (or mark a misplaced policy). */
  static final List<Class<? extends Annotation>> ANNOTATIONS = annotations();

  private final Elements elements;
  private final Messager messager;
  private final Filer filer;
  private final boolean verbose;
  private final DriverModelFactory modelFactory;
  private final DriverValidator validator;
  private final WiringForm wiringForm;
  private final DriverWiringGenerator generator = new DriverWiringGenerator();
  private final WiringClassGenerator classGenerator;
  /** Tells a type declared in this compilation's sources from one on the class path; or null. */
  private final Trees trees;
  private final Set<String> deferredDrivers = new LinkedHashSet<>();

  private final Reporter reporter;
  private final BodyChecker bodyChecker;

  /**
   * @param wiringForm how the wiring is written
   * @param trees the compiler's syntax trees, null where it offers none
   * @param bodyChecker runs the body rules after javac's analysis; null where the compiler offers
   *     no syntax trees, in which case the reporter finishes when processing is over
   */
  DriverStep(
      ProcessingEnvironment env,
      boolean verbose,
      WiringForm wiringForm,
      Trees trees,
      DriverModelFactory modelFactory,
      Reporter reporter,
      BodyChecker bodyChecker) {
    this.elements = env.getElementUtils();
    this.messager = env.getMessager();
    this.filer = env.getFiler();
    this.verbose = verbose;
    this.wiringForm = wiringForm;
    this.classGenerator = new WiringClassGenerator(elements);
    this.trees = trees;
    this.modelFactory = modelFactory;
    this.validator = new DriverValidator(env.getTypeUtils(), elements);
    this.reporter = reporter;
    this.bodyChecker = bodyChecker;
  }

  void process(RoundEnvironment round) {
    if (round.processingOver()) {
      reportUnresolved();
      if (bodyChecker == null) {
        reporter.finish();
      }
      return;
    }
    Map<String, TypeElement> drivers = new LinkedHashMap<>();
    for (String name : deferredDrivers) {
      TypeElement type = elements.getTypeElement(name);
      if (type != null) {
        drivers.put(name, type);
      }
    }
    deferredDrivers.clear();
    for (Class<? extends Annotation> annotation : ANNOTATIONS) {
      for (Element annotated : round.getElementsAnnotatedWith(annotation)) {
        TypeElement type = driverTypeOf(annotated);
        drivers.putIfAbsent(type.getQualifiedName().toString(), type);
      }
    }
    drivers.values().forEach(this::processDriver);
  }

  private void processDriver(TypeElement type) {
    List<String> unresolved = modelFactory.unresolvedTypes(type);
    if (!unresolved.isEmpty()) {
      deferredDrivers.add(type.getQualifiedName().toString());
      note(Messages.driverDeferred(type.getSimpleName().toString(), unresolved), type);
      return;
    }
    DriverModel model = modelFactory.create(type);
    ValidationReport report = validator.validate(model);
    boolean errors = reporter.print(report);
    if (!errors) {
      write(model);
      if (bodyChecker != null) {
        bodyChecker.add(type);
      }
    }
  }

  private void write(DriverModel model) {
    String wiringName = WiringNames.wiringQualifiedName(model.type());
    try {
      if (wiringForm == WiringForm.CLASS) {
        writeClassFiles(model, wiringName);
      } else {
        generator.generate(model).writeTo(filer);
      }
      note(Messages.wiringWritten(wiringName, model.simpleName()), model.type());
    } catch (IOException | RuntimeException e) {
      // RuntimeException: ASM rejects what no class file can hold (a constant over 64 KiB).
      messager.printMessage(
          Diagnostic.Kind.ERROR,
          Messages.wiringNotWritten(wiringName, model.simpleName(), String.valueOf(e.getMessage()))
              .formatted(),
          model.type());
    }
  }

  /**
   * Writes the wiring's class files to the class output as resources: javac neither parses nor
   * compiles them, and, unlike {@code Filer.createClassFile}, a resource starts no further
   * processing round. Nothing in the compilation can refer to the wiring, which only the runtime
   * looks up by name. A type of that name in this compilation's sources would be overwritten, so
   * that is reported, as the {@code Filer} reports it for the source form.
   */
  private void writeClassFiles(DriverModel model, String wiringName) throws IOException {
    TypeElement existing = elements.getTypeElement(wiringName);
    if (existing != null && trees != null && trees.getPath(existing) != null) {
      throw new IOException("a source in this compilation already declares " + wiringName);
    }
    String packageName = WiringNames.packageName(model.type());
    TypeElement originating = WiringNames.topLevelType(model.type());
    for (Map.Entry<String, byte[]> classFile : classGenerator.generate(model).entrySet()) {
      String binaryName = classFile.getKey();
      String fileName =
          (packageName.isEmpty() ? binaryName : binaryName.substring(packageName.length() + 1))
              + ".class";
      FileObject file =
          filer.createResource(StandardLocation.CLASS_OUTPUT, packageName, fileName, originating);
      try (OutputStream out = file.openOutputStream()) {
        out.write(classFile.getValue());
      }
    }
  }

  private void reportUnresolved() {
    for (String name : deferredDrivers) {
      TypeElement type = elements.getTypeElement(name);
      if (type != null) {
        messager.printMessage(
            Diagnostic.Kind.ERROR,
            Messages.unresolvedTypes(
                    type.getSimpleName().toString(), modelFactory.unresolvedTypes(type))
                .formatted(),
            type);
      }
    }
    deferredDrivers.clear();
  }

  private void note(Message message, Element element) {
    if (verbose) {
      messager.printMessage(Diagnostic.Kind.NOTE, message.formatted(), element);
    }
  }

  /** A method's declaring type; a type itself for a class-level {@code @InterruptPolicy}. */
  private static TypeElement driverTypeOf(Element annotated) {
    return annotated instanceof TypeElement
        ? (TypeElement) annotated
        : (TypeElement) annotated.getEnclosingElement();
  }

  private static List<Class<? extends Annotation>> annotations() {
    List<Class<? extends Annotation>> annotations = new ArrayList<>();
    for (CallbackRole role : CallbackRole.values()) {
      annotations.add(role.annotationType());
    }
    annotations.add(InterruptPolicy.class);
    return List.copyOf(annotations);
  }
}
