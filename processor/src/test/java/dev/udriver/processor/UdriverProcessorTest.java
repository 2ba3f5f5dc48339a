package dev.udriver.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static dev.udriver.processor.Compilations.SOURCE_FORM;
import static dev.udriver.processor.Compilations.assertWiringWritten;
import static dev.udriver.processor.Compilations.compile;
import static dev.udriver.processor.Compilations.source;

import com.google.testing.compile.Compilation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

class UdriverProcessorTest {

  private static final JavaFileObject DRIVER_THROWING_PORT_EXCEPTION =
      source(
          "Uart",
          "class Uart {",
          "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }",
          "  @OnInterruptEnable void on(Interrupt interrupt) throws PortException {}",
          "  @OnInterruptDisable void off(Interrupt interrupt) {}",
          "}");

  /** Generates one source file in the first round, as another processor might. */
  static final class OneFileGenerator extends AbstractProcessor {
    private final String typeName;
    private final String content;
    private boolean written;

    OneFileGenerator(String typeName, String content) {
      this.typeName = typeName;
      this.content = content;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (!written) {
        written = true;
        try (Writer writer = processingEnv.getFiler().createSourceFile(typeName).openWriter()) {
          writer.write(content);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  private static Processor portExceptionGenerator() {
    return new OneFileGenerator(
        "test.PortException", "package test; class PortException extends Exception {}");
  }

  @Test
  void defersDriverUntilItsTypesAreGenerated() {
    Compilation compilation =
        javac()
            .withProcessors(new UdriverProcessor(), portExceptionGenerator())
            .withOptions("-A" + UdriverProcessor.VERBOSE_OPTION + "=true")
            .compile(DRIVER_THROWING_PORT_EXCEPTION);

    assertThat(compilation).succeededWithoutWarnings();
    assertWiringWritten(compilation, "test.Uart_Wiring");
    assertThat(compilation)
        .hadNoteContaining(
            "[udriver:DRIVER_DEFERRED] driver 'Uart' waits for a later round: an exception thrown"
                + " by 'on' (PortException) not resolved yet")
        .inFile(DRIVER_THROWING_PORT_EXCEPTION)
        .onLineContaining("class Uart");
    assertThat(compilation)
        .hadNoteContaining("[udriver:WIRING_WRITTEN] wrote test.Uart_Wiring for driver 'Uart'")
        .inFile(DRIVER_THROWING_PORT_EXCEPTION)
        .onLineContaining("class Uart");
  }

  @Test
  void defersDriverWhoseAttributesUseGeneratedConstants() {
    JavaFileObject driver =
        source(
            "Uart",
            "class Uart {",
            "  @OnInterruptIsr(Names.RX) boolean onRx(Interrupt interrupt) { return true; }",
            "}");
    Compilation compilation =
        javac()
            .withProcessors(
                new UdriverProcessor(),
                new OneFileGenerator(
                    "test.Names", "package test; class Names { static final String RX = \"rx\"; }"))
            .withOptions(SOURCE_FORM)
            .compile(driver);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .generatedSourceFile("test.Uart_Wiring")
        .contentsAsUtf8String()
        .contains("InterruptConfig.builder(\"rx\", callbacks)");
  }

  @Test
  void printsNoNotesUnlessVerbose() {
    Compilation compilation =
        javac()
            .withProcessors(new UdriverProcessor(), portExceptionGenerator())
            .compile(DRIVER_THROWING_PORT_EXCEPTION);

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation.notes()).isEmpty();
  }

  @Test
  void reportsTypesThatNeverResolve() {
    Compilation compilation = compile(DRIVER_THROWING_PORT_EXCEPTION);

    assertThat(compilation).failed();
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:UNRESOLVED_TYPE] driver 'Uart' was not processed: an exception thrown by"
                + " 'on' (PortException) could not be resolved")
        .inFile(DRIVER_THROWING_PORT_EXCEPTION)
        .onLineContaining("class Uart");
  }

  @Test
  void describesUnresolvedParametersAndAttributes() {
    JavaFileObject driver =
        source(
            "Uart",
            "@InterruptPolicy(group = Names.GROUP)",
            "class Uart {",
            "  @OnInterruptIsr(Names.RX) boolean onRx(Interrupt interrupt, Missing missing) {",
            "    return true;",
            "  }",
            "  @OnInterruptWorkItem(\"rx\") Result drain() { return null; }",
            "}");
    Compilation compilation = compile(driver);

    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:UNRESOLVED_TYPE] driver 'Uart' was not processed: an attribute of"
                + " @InterruptPolicy on 'Uart', an attribute of @OnInterruptIsr on 'onRx',"
                + " parameter 'missing' of 'onRx' (Missing), the return type of 'drain' (Result)"
                + " could not be resolved")
        .inFile(driver)
        .onLineContaining("class Uart");
  }

  @Test
  void reportsAWiringThatCannotBeWritten() {
    List<JavaFileObject> drivers = Compilations.driversWithOneWiringName();
    Compilation compilation = compile(drivers.toArray(JavaFileObject[]::new));

    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:WIRING_NOT_WRITTEN] could not write test.Board_Uart_Wiring for driver 'Uart'")
        .inFile(drivers.get(1))
        .onLineContaining("class Uart");
  }

  @Test
  void turnsItsOwnFailureIntoOneError() {
    Compilation compilation =
        javac()
            .withProcessors(
                ForwardingProcessor.withFailingElements(
                    "getElementValuesWithDefaults", new IllegalStateException("simulated failure")))
            .compile(
                source(
                    "Uart",
                    "class Uart {",
                    "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }",
                    "}"),
                source(
                    "Timer",
                    "class Timer {",
                    "  @OnInterruptIsr boolean onTick(Interrupt interrupt) { return true; }",
                    "}"));

    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:PROCESSOR_FAILURE] the udriver processor failed; please report this with the"
                + " stack trace:");
    assertThat(compilation)
        .hadErrorContaining("java.lang.IllegalStateException: simulated failure");
  }

  @Test
  void skipsBodyChecksWithANoteWhereTreesAreUnavailable() {
    Compilation compilation =
        javac()
            .withProcessors(ForwardingProcessor.inForeignEnvironment())
            .compile(
                source(
                    "Uart",
                    "class Uart {",
                    "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return true; }",
                    "}"));

    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation)
        .hadNoteContaining(
            "[udriver:TREES_UNAVAILABLE] method-body checks are skipped: this compiler does not"
                + " offer com.sun.source.util.Trees");
    assertWiringWritten(compilation, "test.Uart_Wiring");
  }

  @Test
  void supportsTheLatestSourceVersion() {
    assertThat(new UdriverProcessor().getSupportedSourceVersion())
        .isEqualTo(SourceVersion.latestSupported());
  }

  @Test
  void isRegisteredAsAServiceAndAsAnIsolatingGradleProcessor() throws IOException {
    assertThat(
            ServiceLoader.load(Processor.class).stream()
                .map(provider -> provider.type().getName())
                .anyMatch(UdriverProcessor.class.getName()::equals))
        .isTrue();
    try (InputStream in =
        getClass()
            .getClassLoader()
            .getResourceAsStream("META-INF/gradle/incremental.annotation.processors")) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("dev.udriver.processor.UdriverProcessor,isolating\n");
    }
  }
}
