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
import java.net.MalformedURLException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
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

  private static Compilation compileWithRuntime(JavaFileObject driver) {
    List<JavaFileObject> sources = new ArrayList<>(runtimeSources);
    sources.add(driver);
    return javac().withProcessors(new UdriverProcessor()).compile(sources);
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

    Compilation compilation = compileWithRuntime(driver);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("compat.Uart_Wiring")
        .contentsAsUtf8String()
        .contains("public final class Uart_Wiring implements DriverWiring<Uart>");
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
