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
import dev.udriver.processor.writing.SourceLines;
import dev.udriver.processor.writing.TreeSourceLines;
import dev.udriver.processor.writing.WiringClassGenerator;
import dev.udriver.processor.writing.WiringNames;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
import javax.lang.model.element.ModuleElement;
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

  private static final Set<Class<? extends Annotation>> ANNOTATION_SET =
      new LinkedHashSet<>(ANNOTATIONS);

  private final Elements elements;
  private final Messager messager;
  private final Filer filer;
  private final boolean verbose;
  private final DriverModelFactory modelFactory;
  private final DriverValidator validator;
  private final WiringForm wiringForm;
  /** The generator of the chosen form only: the other's libraries need not even be loaded. */
  private final DriverWiringGenerator generator;

  private final WiringClassGenerator classGenerator;
  /**
   * Class form only: the top-level types declared by the sources of every round so far, and the
   * wirings written so far by name with their driver's name. A source type of a wiring's name
   * would overwrite the wiring's class file, or the wiring the type's.
   */
  private final Set<String> sourceTypeNames = new HashSet<>();
  private final Map<String, String> classWirings = new HashMap<>();
  private final Set<String> deferredDrivers = new LinkedHashSet<>();

  private final Reporter reporter;
  private final BodyChecker bodyChecker;

  /**
   * @param wiringForm how the wiring is written
   * @param trees for the class form's debug attributes (the driver's source file and lines); null
   *     where the compiler offers no syntax trees, in which case the class files go without them
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
    this.generator = wiringForm == WiringForm.SOURCE ? new DriverWiringGenerator() : null;
    this.classGenerator =
        wiringForm == WiringForm.CLASS
            ? new WiringClassGenerator(
                elements, trees == null ? SourceLines.NONE : new TreeSourceLines(trees))
            : null;
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
    if (wiringForm == WiringForm.CLASS) {
      noteSourceTypes(round);
    }
    // One scan of the round's elements for all five annotations, not one scan per annotation.
    for (Element annotated : round.getElementsAnnotatedWithAny(ANNOTATION_SET)) {
      TypeElement type = driverTypeOf(annotated);
      drivers.putIfAbsent(type.getQualifiedName().toString(), type);
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
   * looks up by name.
   */
  private void writeClassFiles(DriverModel model, String wiringName) throws IOException {
    if (sourceTypeNames.contains(wiringName)) {
      throw new IOException(sourceDeclares(wiringName));
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
    classWirings.put(wiringName, model.type().getQualifiedName().toString());
  }

  /**
   * Remembers the round's top-level source types; one that takes the name of a wiring written in
   * an earlier round (another processor's generated source) is reported on that wiring's driver,
   * as the {@code Filer} would report it for the source form.
   */
  private void noteSourceTypes(RoundEnvironment round) {
    for (Element root : round.getRootElements()) {
      if (root instanceof TypeElement) {
        String name = ((TypeElement) root).getQualifiedName().toString();
        sourceTypeNames.add(name);
        String driverName = classWirings.get(name);
        TypeElement driver = driverName == null ? null : elements.getTypeElement(driverName);
        if (driver != null) {
          messager.printMessage(
              Diagnostic.Kind.ERROR,
              Messages.wiringNotWritten(
                      name, driver.getSimpleName().toString(), sourceDeclares(name))
                  .formatted(),
              driver);
        }
      }
    }
  }

  private static String sourceDeclares(String wiringName) {
    return "a source in this compilation already declares " + wiringName;
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

  /**
   * The type named {@code name} in the module of {@code near}. Javac's {@code
   * getTypeElement(name)} tries every module of the platform in turn; a driver's own types live in
   * the driver's module.
   */
  static TypeElement typeInModuleOf(Elements elements, Element near, String name) {
    ModuleElement module = elements.getModuleOf(near);
    return module == null ? elements.getTypeElement(name) : elements.getTypeElement(module, name);
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
