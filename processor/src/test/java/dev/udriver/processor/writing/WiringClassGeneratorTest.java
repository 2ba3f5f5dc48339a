package dev.udriver.processor.writing;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.udriver.processor.Compilations.SOURCE_FORM;
import static dev.udriver.processor.Compilations.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.udriver.processor.UdriverProcessor;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.InterruptConfig;
import java.io.IOException;
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The class form of the wiring ({@code -Audriver.wiring=class}) against the source form that javac
 * compiles: the same classes with the same members and instructions, and, loaded and run through
 * the runtime, the same configurations calling the same driver methods.
 */
class WiringClassGeneratorTest {

  private static final String CLASS_FORM = "-A" + UdriverProcessor.WIRING_OPTION + "=class";

  private static Compilation compile(List<JavaFileObject> sources, String... options) {
    Compilation compilation =
        javac().withProcessors(new UdriverProcessor()).withOptions(options).compile(sources);
    assertThat(compilation).succeededWithoutWarnings();
    return compilation;
  }

  /** The wiring classes of a compilation (all classes whose name has a wiring part). */
  private static Map<String, byte[]> wiringClasses(Compilation compilation) {
    return new TreeMap<>(
        new CompiledClasses(compilation)
            .classFiles().entrySet().stream()
                .filter(entry -> entry.getKey().contains(WiringNames.WIRING_SUFFIX))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  /** Compiles both ways; asserts the class form declares exactly what javac compiled. */
  private static void assertBothFormsCompileToTheSameClasses(List<JavaFileObject> sources) {
    Map<String, byte[]> fromSource = wiringClasses(compile(sources, SOURCE_FORM));
    Compilation classForm = compile(sources, CLASS_FORM);
    assertThat(classForm.generatedSourceFiles()).isEmpty();
    Map<String, byte[]> written = wiringClasses(classForm);

    assertThat(fromSource).isNotEmpty();
    assertThat(written.keySet()).containsExactlyElementsIn(fromSource.keySet()).inOrder();
    fromSource.forEach(
        (name, javacBytes) ->
            assertEquals(
                ClassShape.of(javacBytes), ClassShape.of(written.get(name)), "class " + name));
  }

  @Test
  void multiInterruptDriverGetsTheClassesJavacCompiles() {
    assertBothFormsCompileToTheSameClasses(
        List.of(JavaFileObjects.forResource("drivers/com/acme/Uart.java")));
  }

  @Test
  void singleInterruptDriverGetsTheClassJavacCompiles() {
    assertBothFormsCompileToTheSameClasses(
        List.of(JavaFileObjects.forResource("drivers/com/acme/Button.java")));
  }

  @Test
  void nestedDriversGetTheClassesJavacCompiles() {
    assertBothFormsCompileToTheSameClasses(
        List.of(
            source(
                "Board",
                "public class Board {",
                "  static class Uart {",
                "    @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }",
                "    @OnInterruptWorkItem void drain(Interrupt interrupt) {}",
                "  }",
                "  public static final class Timers {",
                "    protected static class Pair {",
                "      @OnInterruptIsr(\"a\") boolean onA(Interrupt interrupt) { return true; }",
                "      @OnInterruptIsr(\"b\") boolean onB(Interrupt interrupt) { return true; }",
                "      @OnInterruptEnable(\"b\") void onB(Interrupt interrupt, Device device) {}",
                "      @OnInterruptDisable(\"b\") void offB(Interrupt interrupt) {}",
                "    }",
                "  }",
                "}")));
  }

  /** {@code List.of} takes up to ten elements, then an array: both sides of that line. */
  @Test
  void driversWithTenAndElevenInterruptsGetTheClassesJavacCompiles() {
    for (int count : List.of(10, 11)) {
      List<String> lines = new ArrayList<>();
      lines.add("class Lines" + count + " {");
      for (int i = 0; i < count; i++) {
        lines.add(
            "  @OnInterruptIsr(value = \"line-" + i + "\", lockGroup = \"g" + (i % 3) + "\")"
                + " boolean onLine" + i + "(Interrupt interrupt, int messageId) {"
                + " return true; }");
      }
      lines.add(
          "  @InterruptPolicy(policy = AffinityPolicy.SPECIFIED_PROCESSORS, processors = "
              + (count == 10 ? "{0}" : "{0, 63}")
              + ", group = 300)");
      lines.add(
          "  @OnInterruptIsr(value = \"policy\", automaticSerialization = true)"
              + " boolean onPolicy(Interrupt interrupt) { return true; }");
      lines.add("}");
      assertBothFormsCompileToTheSameClasses(
          List.of(source("Lines" + count, lines.toArray(new String[0]))));
    }
  }

  /** Every driver in samples/, compiled with the rest of the samples, both ways. */
  @Test
  void sampleDriversGetTheClassesJavacCompiles() throws IOException {
    String directory = System.getProperty("udriver.samples.sources");
    assertNotNull(directory, "surefire passes udriver.samples.sources");
    List<JavaFileObject> sources = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of(directory))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        sources.add(forPath(file));
      }
    }
    assertThat(sources.size()).isAtLeast(5);
    assertBothFormsCompileToTheSameClasses(sources);
  }

  private static JavaFileObject forPath(Path file) throws MalformedURLException {
    return JavaFileObjects.forResource(file.toUri().toURL());
  }

  /** Through the runtime: equal configurations, and each callback reaches the same method. */
  @Test
  void bothFormsBuildEqualConfigsThatCallTheSameDriverMethods() throws Exception {
    for (String driverName : List.of("Uart", "Button")) {
      List<JavaFileObject> sources =
          List.of(JavaFileObjects.forResource("drivers/com/acme/" + driverName + ".java"));
      List<String> fromSource = exercise(compile(sources, SOURCE_FORM), driverName);
      List<String> fromClasses = exercise(compile(sources, CLASS_FORM), driverName);
      assertThat(fromSource).isNotEmpty();
      assertEquals(fromSource, fromClasses, driverName);
    }
  }

  /**
   * Loads the compilation's driver and wiring, builds the configurations, calls every callback
   * and returns what happened: each configuration's settings, which callbacks share an object, the
   * calls the driver recorded, and the null-driver check.
   */
  private static List<String> exercise(Compilation compilation, String driverName)
      throws Exception {
    CompiledClasses classes = new CompiledClasses(compilation);
    Class<?> driverType = classes.loadClass("com.acme." + driverName);
    @SuppressWarnings("unchecked")
    DriverWiring<Object> wiring = (DriverWiring<Object>) DriverWiring.forDriverClass(driverType);
    assertSame(driverType, wiring.driverType());
    Object driver = driverType.getConstructor().newInstance();
    List<String> observed = new ArrayList<>();
    int messageId = 0;
    for (InterruptConfig config : wiring.interruptConfigs(driver)) {
      observed.add(
          config.name() + " " + config.shareVector() + " " + config.automaticSerialization() + " "
              + config.lockGroup() + " " + config.policy());
      Object isr = config.isr();
      observed.add(
          "work item " + role(isr, config.workItem()) + ", enable " + role(isr, config.enable())
              + ", disable " + role(isr, config.disable()));
      observed.add("isr answered " + config.isr().onInterruptIsr(null, ++messageId));
      if (config.workItem() != null) {
        config.workItem().onInterruptWorkItem(null, null);
      }
      if (config.enable() != null) {
        config.enable().onInterruptEnable(null, null);
      }
      if (config.disable() != null) {
        config.disable().onInterruptDisable(null, null);
      }
    }
    observed.add("calls " + driverType.getField("calls").get(driver));
    NullPointerException thrown =
        assertThrows(NullPointerException.class, () -> wiring.interruptConfigs(null));
    observed.add("null driver: " + thrown.getMessage());
    assertTrue(observed.size() > 3);
    return observed;
  }

  private static String role(Object isr, Object callback) {
    if (callback == null) {
      return "none";
    }
    return callback == isr ? "the ISR's object" : "another object";
  }
}
