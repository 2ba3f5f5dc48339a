package dev.udriver.compat;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.udriver.processor.UdriverProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.Completion;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The processor inside javac 17: it checks a driver and generates wiring that compiles against the
 * runtime's public API, compiled from source here because the runtime jar targets Java 25.
 */
class Javac17CompatibilityTest {

  /** The runtime API a driver and its wiring compile against; all of it is Java 17 source. */
  private static final List<String> RUNTIME_API =
      List.of(
          "Interrupt",
          "Device",
          "InterruptConfig",
          "ExtendedPolicy",
          "InterruptInfo",
          "InterruptStatistics",
          "InterruptRuleViolation",
          "DriverWiring");

  private static final List<JavaFileObject> runtimeSources = new ArrayList<>();

  @BeforeAll
  static void readRuntimeSources() throws IOException {
    String directory = System.getProperty("udriver.runtime.sources");
    assertNotNull(directory, "surefire passes udriver.runtime.sources");
    Path runtime = Path.of(directory, "dev", "udriver", "runtime");
    for (String type : RUNTIME_API) {
      Path file = runtime.resolve(type + ".java");
      assertTrue(Files.isRegularFile(file), () -> "missing runtime source " + file);
      runtimeSources.add(forPath(file));
    }
  }

  private static JavaFileObject forPath(Path file) throws MalformedURLException {
    return JavaFileObjects.forResource(file.toUri().toURL());
  }

  private static Compilation compileWithRuntime(JavaFileObject driver, String... options) {
    List<JavaFileObject> sources = new ArrayList<>(runtimeSources);
    sources.add(driver);
    return javac().withProcessors(new UdriverProcessor()).withOptions((Object[]) options).compile(sources);
  }

  @Test
  void runsOnJdk17() {
    assertEquals(17, Runtime.version().feature());
  }

  @Test
  void generatesWiringThatCompilesWithJavac17() {
    JavaFileObject driver =
        JavaFileObjects.forSourceLines(
            "compat.Uart",
            "package compat;",
            "",
            "import dev.udriver.annotation.*;",
            "import dev.udriver.runtime.*;",
            "",
            "@InterruptPolicy(policy = AffinityPolicy.SPECIFIED_PROCESSORS, processors = {1, 3})",
            "public class Uart {",
            "  volatile int status;",
            "  @OnInterruptIsr(value = \"rx\", shareVector = ShareVector.TRUE)",
            "  boolean onRx(Interrupt interrupt, int messageId) { return (status & 1) != 0; }",
            "  @OnInterruptWorkItem(\"rx\") void drainRx() {}",
            "  @OnInterruptEnable(\"rx\") void enableRx(Interrupt interrupt, Device device)",
            "      throws java.io.IOException {}",
            "  @OnInterruptDisable(\"rx\") void disableRx(Interrupt interrupt) {}",
            "  @InterruptPolicy(priority = InterruptPriority.HIGH)",
            "  @OnInterruptIsr(\"tx\") boolean onTx(Interrupt interrupt) { return (status & 2) != 0; }",
            "}");

    Compilation sourceForm = compileWithRuntime(driver, "-Audriver.wiring=source");
    assertThat(sourceForm).succeededWithoutWarnings();
    assertThat(sourceForm)
        .generatedSourceFile("compat.Uart_Wiring")
        .contentsAsUtf8String()
        .contains("public final class Uart_Wiring implements DriverWiring<Uart>");

    // The default: class files, written for Java 17 (major version 61), so javac 17 builds run them.
    Compilation classForm = compileWithRuntime(driver);
    assertThat(classForm).succeededWithoutWarnings();
    assertTrue(classForm.generatedSourceFiles().isEmpty(), () -> classForm.generatedSourceFiles().toString());
    JavaFileObject wiring =
        classForm
            .generatedFile(StandardLocation.CLASS_OUTPUT, "compat", "Uart_Wiring.class")
            .orElseThrow(() -> new AssertionError("no compat/Uart_Wiring.class"));
    byte[] bytes;
    try (InputStream in = wiring.openInputStream()) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertEquals(0xCAFEBABE, ByteBuffer.wrap(bytes).getInt(0));
    assertEquals(61, ByteBuffer.wrap(bytes).getShort(6));
  }

  /** Counts javac's calls to {@code process}: one per round. */
  private static final class RoundCounter implements Processor {
    private final Processor delegate = new UdriverProcessor();
    int rounds;

    @Override
    public Set<String> getSupportedOptions() {
      return delegate.getSupportedOptions();
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return delegate.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return delegate.getSupportedSourceVersion();
    }

    @Override
    public void init(ProcessingEnvironment env) {
      delegate.init(env);
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      rounds++;
      return delegate.process(annotations, round);
    }

    @Override
    public Iterable<? extends Completion> getCompletions(
        Element element, AnnotationMirror annotation, ExecutableElement member, String text) {
      return delegate.getCompletions(element, annotation, member, text);
    }
  }

  /** The class files of a compilation, loadable by binary name. */
  private static final class CompiledClasses extends ClassLoader {
    private final Map<String, byte[]> classFiles = new HashMap<>();

    CompiledClasses(Compilation compilation) throws IOException {
      super(Javac17CompatibilityTest.class.getClassLoader());
      for (JavaFileObject file : compilation.generatedFiles()) {
        String path = file.toUri().getPath();
        if (path.endsWith(".class")) {
          String name =
              path.substring("/CLASS_OUTPUT/".length(), path.length() - ".class".length());
          try (InputStream in = file.openInputStream()) {
            classFiles.put(name.replace('/', '.'), in.readAllBytes());
          }
        }
      }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] bytes = classFiles.get(name);
      if (bytes == null) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, bytes, 0, bytes.length);
    }
  }

  /**
   * {@code udriver.wiring=class} on javac 17: no further round, no source, and a wiring that this
   * JVM loads, verifies and runs against the runtime compiled beside it.
   */
  @Test
  void writesClassWiringWithoutAFurtherRound() throws Exception {
    JavaFileObject driver =
        JavaFileObjects.forSourceLines(
            "compat.Button",
            "package compat;",
            "",
            "import dev.udriver.annotation.*;",
            "import dev.udriver.runtime.*;",
            "",
            "public class Button {",
            "  public final java.util.List<String> calls = new java.util.ArrayList<>();",
            "  @OnInterruptIsr(value = \"press\", lockGroup = \"keys\")",
            "  boolean onPress(Interrupt interrupt, int messageId) {",
            "    calls.add(\"press:\" + messageId);",
            "    return true;",
            "  }",
            "  @OnInterruptWorkItem(\"press\") void report() { calls.add(\"report\"); }",
            "}");
    List<JavaFileObject> sources = new ArrayList<>(runtimeSources);
    sources.add(driver);
    RoundCounter counter = new RoundCounter();

    Compilation compilation =
        javac().withProcessors(counter).withOptions("-Audriver.wiring=class").compile(sources);

    assertThat(compilation).succeededWithoutWarnings();
    assertEquals(2, counter.rounds);
    assertEquals(List.of(), compilation.generatedSourceFiles());
    CompiledClasses classes = new CompiledClasses(compilation);
    Class<?> wiringClass = classes.loadClass("compat.Button_Wiring");
    Class<?> driverClass = classes.loadClass("compat.Button");
    Object wiring = wiringClass.getConstructor().newInstance();
    Object button = driverClass.getConstructor().newInstance();
    List<?> configs =
        (List<?>) wiringClass.getMethod("interruptConfigs", Object.class).invoke(wiring, button);
    assertEquals(1, configs.size());
    Object config = configs.get(0);
    Class<?> configClass = config.getClass();
    assertEquals("press", configClass.getMethod("name").invoke(config));
    assertEquals("keys", configClass.getMethod("lockGroup").invoke(config));
    Object isr = configClass.getMethod("isr").invoke(config);
    Object workItem = configClass.getMethod("workItem").invoke(config);
    classes
        .loadClass("dev.udriver.runtime.InterruptConfig$Isr")
        .getMethod("onInterruptIsr", classes.loadClass("dev.udriver.runtime.Interrupt"), int.class)
        .invoke(isr, null, 7);
    classes
        .loadClass("dev.udriver.runtime.InterruptConfig$WorkItem")
        .getMethod(
            "onInterruptWorkItem",
            classes.loadClass("dev.udriver.runtime.Interrupt"),
            classes.loadClass("dev.udriver.runtime.Device"))
        .invoke(workItem, null, null);
    assertEquals(List.of("press:7", "report"), driverClass.getField("calls").get(button));
  }

  @Test
  void reportsInvalidDriverOnTheOffendingLine() {
    JavaFileObject driver =
        JavaFileObjects.forSourceLines(
            "compat.Button",
            "package compat;",
            "",
            "import dev.udriver.annotation.*;",
            "import dev.udriver.runtime.*;",
            "",
            "class Button {",
            "  @OnInterruptIsr void onPress(Interrupt interrupt) {}",
            "}");

    Compilation compilation = compileWithRuntime(driver);

    assertThat(compilation).failed();
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:ISR_SIGNATURE] ISR 'onPress' must be declared as boolean onPress(Interrupt"
                + " interrupt) or boolean onPress(Interrupt interrupt, int messageId)")
        .inFile(driver)
        .onLine(7);
  }
}
