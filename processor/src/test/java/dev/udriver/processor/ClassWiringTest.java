package dev.udriver.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.udriver.processor.Compilations.source;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import dev.udriver.processor.writing.DebugAttributes;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * The class form of the wiring inside javac, the default ({@code udriver.wiring=class}): no further
 * processing round, class files in the class output, and writing failures as errors on the driver.
 * {@code writing.WiringClassGeneratorTest} shows the classes equal what javac compiles from the
 * source form, {@code writing.WiringDebugInfoTest} that stack traces through them point at the
 * driver's source.
 */
class ClassWiringTest {

  private static final String CLASS_FORM = "-A" + UdriverProcessor.WIRING_OPTION + "=class";

  private static JavaFileObject uart() {
    return source(
        "Uart",
        "class Uart {",
        "  @OnInterruptIsr(\"rx\") boolean onRx(Interrupt interrupt) { return true; }",
        "  @OnInterruptIsr(\"tx\") boolean onTx(Interrupt interrupt) { return true; }",
        "}");
  }

  private static int rounds(String... options) {
    ForwardingProcessor processor = ForwardingProcessor.countingRounds();
    Compilation compilation =
        javac().withProcessors(processor).withOptions(options).compile(uart());
    assertThat(compilation).succeededWithoutWarnings();
    return processor.rounds();
  }

  /**
   * The source form costs a round that compiles the wiring; the class form, also without the
   * option, only the last one.
   */
  @Test
  void classFormAddsNoProcessingRound() {
    assertEquals(2, rounds());
    assertEquals(2, rounds(CLASS_FORM));
    assertEquals(3, rounds(Compilations.SOURCE_FORM));
  }

  /** Without the option, with a blank value and with {@code class}: class files and no source. */
  @Test
  void classFilesAreTheDefault() {
    for (List<String> options :
        List.of(
            List.<String>of(), List.of("-A" + UdriverProcessor.WIRING_OPTION + "= "), List.of(CLASS_FORM))) {
      Compilation compilation =
          javac().withProcessors(new UdriverProcessor()).withOptions(options).compile(uart());

      assertThat(compilation).succeededWithoutWarnings();
      assertThat(compilation.generatedSourceFiles()).isEmpty();
      assertThat(classFiles(compilation))
          .containsExactly(
              "/CLASS_OUTPUT/test/Uart.class",
              "/CLASS_OUTPUT/test/Uart_Wiring$RxCallbacks.class",
              "/CLASS_OUTPUT/test/Uart_Wiring$TxCallbacks.class",
              "/CLASS_OUTPUT/test/Uart_Wiring.class");
    }
  }

  /** The source form stays available: a readable source, which javac compiles. */
  @Test
  void sourceFormWritesTheWiringSource() {
    Compilation compilation =
        javac()
            .withProcessors(new UdriverProcessor())
            .withOptions(Compilations.SOURCE_FORM)
            .compile(uart());

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.Uart_Wiring")
        .contentsAsUtf8String()
        .contains("public final class Uart_Wiring implements DriverWiring<Uart>");
    assertThat(classFiles(compilation)).contains("/CLASS_OUTPUT/test/Uart_Wiring.class");
  }

  private static List<String> classFiles(Compilation compilation) {
    return compilation.generatedFiles().stream()
        .map(file -> file.toUri().getPath())
        .filter(path -> path.endsWith(".class"))
        .sorted()
        .collect(Collectors.toList());
  }

  /**
   * Without javac's trees the driver's file and lines are unknown: the class files go without
   * SourceFile and line numbers, and the wiring is written all the same.
   */
  @Test
  void withoutTreesTheClassFilesHaveNoDebugAttributes() {
    Compilation compilation =
        javac().withProcessors(ForwardingProcessor.inForeignEnvironment()).compile(uart());

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(debugAttributes(compilation))
        .containsExactly(
            "Uart_Wiring", List.of(),
            "Uart_Wiring$RxCallbacks", List.of(),
            "Uart_Wiring$TxCallbacks", List.of());
  }

  /** A driver written in a later round, whose trees javac entered anew, still gets its lines. */
  @Test
  void aDeferredDriversClassFilesHaveItsLines() {
    JavaFileObject driver =
        source(
            "Button",
            "class Button {",
            "  @OnInterruptIsr(Names.PRESS)",
            "  boolean onPress(Interrupt interrupt) { return true; }",
            "}");
    Compilation compilation =
        javac()
            .withProcessors(
                new UdriverProcessor(),
                new UdriverProcessorTest.OneFileGenerator(
                    "test.Names",
                    "package test; class Names { static final String PRESS = \"press\"; }"))
            .compile(driver);

    assertThat(compilation).succeededWithoutWarnings();
    // Lines 6 and 8 of the source: its declaration and the ISR's, after the five header lines.
    assertThat(debugAttributes(compilation))
        .containsExactly(
            "Button_Wiring",
            List.of(
                "SourceFile Button.java",
                "<init> line 6",
                "<init> line 6",
                "driverType line 6",
                "interruptConfigs line 6",
                "interruptConfigs line 6",
                "onInterruptIsr line 8"));
  }

  /**
   * The SourceFile attribute and the line number entries of each wiring class the compilation
   * wrote, by simple class name, methods by name in their order in the class file.
   */
  private static Map<String, List<String>> debugAttributes(Compilation compilation) {
    Map<String, List<String>> attributes = new TreeMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      String path = file.toUri().getPath();
      if (file.getKind() == JavaFileObject.Kind.CLASS && path.contains("_Wiring")) {
        attributes.put(
            path.substring(path.lastIndexOf('/') + 1, path.length() - ".class".length()),
            DebugAttributes.of(file).entries);
      }
    }
    return attributes;
  }

  @Test
  void aFailedWriteIsAnErrorOnTheDriver() {
    JavaFileObject driver = uart();
    Compilation compilation =
        javac()
            .withProcessors(
                ForwardingProcessor.withFailingFiler(
                    "createResource", new IOException("disk full (simulated)")))
            .withOptions(CLASS_FORM)
            .compile(driver);

    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:WIRING_NOT_WRITTEN] could not write test.Uart_Wiring for driver 'Uart':"
                + " disk full (simulated)")
        .inFile(driver)
        .onLineContaining("class Uart");
  }

  /** Two drivers whose wirings share a name: the second write is refused, as in source form. */
  @Test
  void twoDriversWithOneWiringNameAreAnErrorOnTheSecond() {
    List<JavaFileObject> drivers = Compilations.driversWithOneWiringName();
    Compilation compilation =
        javac()
            .withProcessors(new UdriverProcessor())
            .withOptions(CLASS_FORM)
            .compile(drivers);

    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:WIRING_NOT_WRITTEN] could not write test.Board_Uart_Wiring for driver 'Uart'")
        .inFile(drivers.get(1))
        .onLineContaining("class Uart");
  }

  /** A source that declares the wiring's name would be overwritten: refused. */
  @Test
  void aSourceThatDeclaresTheWiringNameIsAnError() {
    JavaFileObject driver =
        source(
            "Button",
            "class Button {",
            "  @OnInterruptIsr boolean onPress(Interrupt interrupt) { return true; }",
            "}");
    JavaFileObject clash = source("Button_Wiring", "class Button_Wiring {}");
    Compilation compilation =
        javac()
            .withProcessors(new UdriverProcessor())
            .withOptions(CLASS_FORM)
            .compile(driver, clash);

    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:WIRING_NOT_WRITTEN] could not write test.Button_Wiring for driver 'Button':"
                + " a source in this compilation already declares test.Button_Wiring")
        .inFile(driver)
        .onLineContaining("class Button");
  }

  /** The same clash when another processor generates the type after the wiring was written. */
  @Test
  void aGeneratedSourceThatDeclaresTheWiringNameIsAnError() {
    JavaFileObject driver =
        source(
            "Button",
            "class Button {",
            "  @OnInterruptIsr boolean onPress(Interrupt interrupt) { return true; }",
            "}");
    Compilation compilation =
        javac()
            .withProcessors(
                new UdriverProcessor(),
                new UdriverProcessorTest.OneFileGenerator(
                    "test.Button_Wiring", "package test; class Button_Wiring {}"))
            .withOptions(CLASS_FORM)
            .compile(driver);

    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:WIRING_NOT_WRITTEN] could not write test.Button_Wiring for driver 'Button':"
                + " a source in this compilation already declares test.Button_Wiring")
        .inFile(driver)
        .onLineContaining("class Button");
  }

  @Test
  void anUnknownWiringFormIsAnError() {
    Compilation compilation =
        javac()
            .withProcessors(new UdriverProcessor())
            .withOptions("-A" + UdriverProcessor.WIRING_OPTION + "=bytecode")
            .compile(uart());

    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:INVALID_OPTION] option udriver.wiring is 'bytecode'; accepted values:"
                + " class, source (using class)");
  }
}
