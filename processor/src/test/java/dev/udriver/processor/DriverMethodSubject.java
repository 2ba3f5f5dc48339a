package dev.udriver.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import dev.udriver.processor.diag.RuleId;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;

/**
 * One-line rule tests, after Dagger's {@code DaggerModuleMethodSubject}: wraps one method in a
 * driver class {@code test.Uart} (with other members if the rule needs them) and asserts that the
 * error lands on that method's line.
 *
 * <pre>{@code
 * assertThatMethod("@OnInterruptIsr void onRx(Interrupt interrupt) {}")
 *     .hasError(RuleId.ISR_SIGNATURE, "boolean onRx(Interrupt interrupt)");
 * }</pre>
 */
public final class DriverMethodSubject {

  private final String method;
  private final List<String> otherMembers = new ArrayList<>();
  private String classDeclaration = "class Uart {";

  private DriverMethodSubject(String method) {
    this.method = method;
  }

  public static DriverMethodSubject assertThatMethod(String method) {
    return new DriverMethodSubject(method);
  }

  /** Members declared before the method under test. */
  public DriverMethodSubject withMembers(String... members) {
    otherMembers.addAll(List.of(members));
    return this;
  }

  /** Replaces {@code class Uart {}}, e.g. with {@code abstract class Uart {}}. */
  public DriverMethodSubject inType(String declaration) {
    classDeclaration = declaration;
    return this;
  }

  /** The method's line carries an error with the rule id and {@code fragment}. */
  public void hasError(RuleId rule, String fragment) {
    JavaFileObject source = source();
    Compilation compilation = Compilations.compile(source);
    assertThat(compilation).failed();
    assertThat(compilation)
        .hadErrorContaining("[udriver:" + rule.name() + "] " + fragment)
        .inFile(source)
        .onLine(methodLine());
  }

  /** The driver compiles without warnings and gets its wiring. */
  public void isAccepted() {
    Compilation compilation = Compilations.compile(source());
    assertThat(compilation).succeededWithoutWarnings();
    Compilations.assertWiringWritten(compilation, "test.Uart_Wiring");
  }

  private JavaFileObject source() {
    List<String> lines = new ArrayList<>();
    lines.add(classDeclaration);
    otherMembers.forEach(member -> lines.add("  " + member));
    lines.add("  " + method);
    lines.add("}");
    return Compilations.source("Uart", lines.toArray(new String[0]));
  }

  private int methodLine() {
    return Compilations.DRIVER_HEADER.size() + 1 + otherMembers.size() + 1;
  }
}
