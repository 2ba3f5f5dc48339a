package dev.udriver.processor.rules;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.udriver.processor.Compilations;
import dev.udriver.processor.UdriverProcessor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine around the rules: messages with paths, suppression, the summary and SARIF. */
class EngineTest {

  private static final Path ISR_BLOCKS = RuleExamplesTest.ROOT.resolve("ISR_NO_BLOCKING/Bad.java");

  private static JavaFileObject source(String name, String... lines) {
    List<String> all = new ArrayList<>();
    all.add("package example;");
    all.add("import dev.udriver.annotation.*;");
    all.add("import dev.udriver.runtime.*;");
    all.addAll(List.of(lines));
    return JavaFileObjects.forSourceLines("example." + name, all);
  }

  @Test
  void blockingThroughAHelperIsReportedAtTheCallWithThePath() {
    Compilation compilation = RuleTestHelper.compile(ISR_BLOCKS);
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:ISR_NO_BLOCKING] the ISR must not block: onRx \u2192 readFrame \u2192"
                + " Thread.sleep");
    assertThat(compilation)
        .hadErrorContaining("[udriver:ISR_NO_BLOCKING] the ISR must not block: onRx \u2192 BlockingQueue.put");
  }

  @Test
  void synchronizedCallbacksAreReportedOnTheirDeclaration() {
    Compilation compilation =
        javac()
            .withProcessors(new UdriverProcessor())
            .compile(
                source(
                    "Monitors",
                    "class Monitors {",
                    "  @OnInterruptIsr",
                    "  synchronized boolean onRx(Interrupt interrupt) { return true; }",
                    "  @OnInterruptEnable",
                    "  synchronized void on(Interrupt interrupt) {}",
                    "  @OnInterruptDisable void off(Interrupt interrupt) {}",
                    "}"));
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:ISR_NO_BLOCKING] the ISR must not block: 'onRx' is synchronized and waits"
                + " whenever another thread holds its monitor")
        .inFile(compilation.sourceFiles().get(0))
        .onLineContaining("boolean onRx");
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:LOCKED_REGION_NO_BLOCKING_OR_IO] blocking while the enable 'on'"
                + " holds the interrupt lock: it is synchronized")
        .inFile(compilation.sourceFiles().get(0))
        .onLineContaining("void on(");
  }

  @Test
  void anAcquireInTheIsrIsRecursionOnItsOwnInterruptAndAHazardOnAnother() {
    Compilation compilation =
        javac()
            .withProcessors(new UdriverProcessor())
            .compile(
                source(
                    "Pair",
                    "class Pair {",
                    "  private Interrupt tx;",
                    "  private int credits;",
                    "  @OnInterruptIsr(\"rx\") boolean onRx(Interrupt interrupt) {",
                    "    try (var own = interrupt.lock()) { credits++; }",
                    "    try (var other = tx.lock()) { credits--; }",
                    "    return true;",
                    "  }",
                    "}"));
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:INTERRUPT_LOCK_NO_RECURSION] lock() in the ISR 'onRx', which already holds"
                + " the interrupt lock: the lock is not recursive, this call fails")
        .inFile(compilation.sourceFiles().get(0))
        .onLineContaining("var own");
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:INTERRUPT_LOCK_NO_RECURSION] lock() on 'tx' in the ISR 'onRx', which"
                + " already holds its interrupt's lock: if 'tx' is that interrupt, the lock is not"
                + " recursive and this call fails; if it is another, two callbacks that take each"
                + " other's locks deadlock. Take it in the work item")
        .inFile(compilation.sourceFiles().get(0))
        .onLineContaining("var other");
  }

  @Test
  void acquireInANonPrivateHelperSuggestsMakingItPrivate() {
    Compilation compilation =
        javac()
            .withProcessors(new UdriverProcessor())
            .compile(
                source(
                    "Helpers",
                    "class Helpers {",
                    "  private int count;",
                    "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {",
                    "    return interrupt.queueWorkItemForIsr();",
                    "  }",
                    "  @OnInterruptWorkItem void work(Interrupt interrupt) {",
                    "    take(interrupt);",
                    "    Runnable later = () -> {",
                    "      try (var held = interrupt.lock()) { count--; }",
                    "    };",
                    "    later.run();",
                    "  }",
                    "  void take(Interrupt interrupt) {",
                    "    try (var held = interrupt.lock()) { count++; }",
                    "  }",
                    "}"));
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:ARBITRARY_THREAD_USES_TRY_ACQUIRE] lock() in 'take', which any"
                + " thread may run: wait-free code uses tryToAcquireInterruptLock() and defers to"
                + " the work item when it returns false; if only the driver's own callbacks call"
                + " 'take', make it private: a private helper runs in its callers' contexts")
        .inFile(compilation.sourceFiles().get(0))
        .onLineContaining("count++");
    // A lambda runs on any thread whatever the method it is written in: no such hint.
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:ARBITRARY_THREAD_USES_TRY_ACQUIRE] lock() in 'work', which any"
                + " thread may run: wait-free code uses tryToAcquireInterruptLock() and defers to"
                + " the work item when it returns false")
        .inFile(compilation.sourceFiles().get(0))
        .onLineContaining("count--");
    assertThat(
            compilation.errors().stream()
                .filter(e -> e.getMessage(null).contains("make it private"))
                .count())
        .isEqualTo(1);
  }

  @Test
  void exceptionPathLeakNamesTheThrowingCall() {
    Compilation compilation =
        RuleTestHelper.compile(
            RuleExamplesTest.ROOT.resolve("INTERRUPT_LOCK_BALANCED_ON_EXIT/Bad.java"));
    assertThat(compilation)
        .hadErrorContaining(
            "still held when samples.clear(..) (line 16) throws out of 'drain': release it in a"
                + " finally block");
  }

  @Test
  void suppressionOnTheMethodOrClassSilencesTheRuleAndIsCounted() {
    Compilation compilation =
        javac()
            .withProcessors(new UdriverProcessor())
            .compile(
                source(
                    "Quiet",
                    "@SuppressWarnings(\"udriver:ISR_NO_BLOCKING\")",
                    "class Quiet {",
                    "  @OnInterruptIsr boolean onRx(Interrupt interrupt) {",
                    "    try { Thread.sleep(1); } catch (InterruptedException e) {}",
                    "    return interrupt != null;",
                    "  }",
                    "  @SuppressWarnings(\"udriver:ENABLE_DISABLE_PAIRED\")",
                    "  @OnInterruptEnable void on(Interrupt interrupt) {}",
                    "}"));
    assertThat(compilation).succeeded();
    assertThat(compilation)
        .hadNoteContaining(
            "[udriver:SUPPRESSED] 2 findings suppressed with @SuppressWarnings(\"udriver:...\"):"
                + " ENABLE_DISABLE_PAIR 1, ISR_NO_BLOCKING 1");
    Compilations.assertWiringWritten(compilation, "example.Quiet_Wiring");
  }

  @Test
  void suppressingAnotherRuleDoesNotSilence() {
    Compilation compilation =
        javac()
            .withProcessors(new UdriverProcessor())
            .compile(
                source(
                    "Loud",
                    "class Loud {",
                    "  @SuppressWarnings(\"udriver:ISR_RETURN_CONTRACT\")",
                    "  @OnInterruptIsr boolean onRx(Interrupt interrupt) {",
                    "    try { Thread.sleep(1); } catch (InterruptedException e) {}",
                    "    return interrupt != null;",
                    "  }",
                    "}"));
    assertThat(compilation).hadErrorContaining("[udriver:ISR_NO_BLOCKING]");
    assertThat(compilation.notes().stream().map(Object::toString).anyMatch(n -> n.contains("SUPPRESSED")))
        .isFalse();
  }

  @Test
  void sarifReportListsEveryRuleAndFinding(@TempDir Path dir) throws Exception {
    Path sarif = dir.resolve("out/udriver.sarif");
    Compilation compilation = RuleTestHelper.compile(ISR_BLOCKS, "-Audriver.sarif=" + sarif);
    assertThat(compilation).failed();

    Object parsed = MiniJson.parse(Files.readString(sarif, StandardCharsets.UTF_8));
    Map<?, ?> log = (Map<?, ?>) parsed;
    assertThat(log.get("version")).isEqualTo("2.1.0");
    Map<?, ?> run = (Map<?, ?>) ((List<?>) log.get("runs")).get(0);
    Map<?, ?> driver = (Map<?, ?>) ((Map<?, ?>) run.get("tool")).get("driver");
    assertThat(driver.get("name")).isEqualTo("udriver");
    List<?> rules = (List<?>) driver.get("rules");
    assertThat(rules).hasSize(RuleRegistry.all().size());
    for (int i = 0; i < rules.size(); i++) {
      Map<?, ?> rule = (Map<?, ?>) rules.get(i);
      assertThat(rule.get("id")).isEqualTo(RuleRegistry.all().get(i).id().name());
      assertThat(((Map<?, ?>) rule.get("shortDescription")).get("text")).isNotNull();
      assertThat(((Map<?, ?>) rule.get("defaultConfiguration")).get("level")).isAnyOf("error", "warning");
    }
    List<?> results = (List<?>) run.get("results");
    assertThat(results).hasSize(2);
    List<Long> lines = new ArrayList<>();
    for (Object r : results) {
      Map<?, ?> result = (Map<?, ?>) r;
      assertThat(result.get("ruleId")).isEqualTo("ISR_NO_BLOCKING");
      assertThat(result.get("level")).isEqualTo("error");
      assertThat((String) ((Map<?, ?>) result.get("message")).get("text"))
          .startsWith("the ISR must not block: onRx");
      Map<?, ?> location =
          (Map<?, ?>) ((Map<?, ?>) ((List<?>) result.get("locations")).get(0)).get("physicalLocation");
      assertThat((String) ((Map<?, ?>) location.get("artifactLocation")).get("uri"))
          .endsWith("Bad.java");
      Map<?, ?> region = (Map<?, ?>) location.get("region");
      lines.add((Long) region.get("startLine"));
      assertThat((Long) region.get("startColumn")).isGreaterThan(0L);
    }
    assertThat(lines)
        .containsExactlyElementsIn(
            RuleTestHelper.expected(RuleTestHelper.lines(ISR_BLOCKS)).stream()
                .map(RuleTestHelper.Finding::line)
                .toArray())
        .inOrder();
  }
}
