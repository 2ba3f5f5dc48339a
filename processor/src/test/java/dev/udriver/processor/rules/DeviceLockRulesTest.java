package dev.udriver.processor.rules;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.udriver.processor.UdriverProcessor;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/** What the device-lock rules say, and how they find the device. */
class DeviceLockRulesTest {

  private static Compilation compile(String... lines) {
    List<String> all = new ArrayList<>();
    all.add("package example;");
    all.add("import dev.udriver.annotation.*;");
    all.add("import dev.udriver.runtime.*;");
    all.addAll(List.of(lines));
    JavaFileObject source = JavaFileObjects.forSourceLines("example.Driver", all);
    return javac().withProcessors(new UdriverProcessor()).compile(source);
  }

  private static List<String> udriverErrors(Compilation compilation) {
    List<String> out = new ArrayList<>();
    for (Diagnostic<? extends JavaFileObject> d : compilation.errors()) {
      String message = d.getMessage(null);
      if (message.startsWith("[udriver:")) {
        out.add(message);
      }
    }
    return out;
  }

  @Test
  void exceptionPathLeakNamesTheThrowingCall() {
    Compilation compilation =
        RuleTestHelper.compile(RuleExamplesTest.ROOT.resolve("DEVICE_LOCK_BALANCED/Bad.java"));
    assertThat(compilation)
        .hadErrorContaining(
            "[udriver:DEVICE_LOCK_BALANCED] the device lock taken here is still held when"
                + " Integer.parseInt(..) (line 16) throws out of 'drainTx'");
    assertThat(compilation)
        .hadErrorContaining(
            "Device.lock() in the work item 'drainRx', which runs with"
                + " automaticSerialization");
  }

  @Test
  void everyExpressionForTheDeviceNamesOneLock() {
    // Taken through a field, released through interrupt.getDevice(): one device, one lock.
    Compilation compilation =
        compile(
            "class Driver {",
            "  private Device device;",
            "  private int settings;",
            "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) {",
            "    return interrupt.queueWorkItemForIsr(); }",
            "  @OnInterruptWorkItem void drain(Interrupt interrupt, Device device) {",
            "    this.device = device;",
            "    Device other = interrupt.getDevice();",
            "    this.device.acquireLock();",
            "    settings++;",
            "    other.releaseLock();",
            "  }",
            "}");
    assertThat(udriverErrors(compilation)).isEmpty();
  }

  @Test
  void theDeviceLockDoesNotCountAsAnInterruptLock() {
    // A device-lock leak is the device rule's alone, and a blocking device acquire on any thread
    // is allowed: ARBITRARY_THREAD_USES_TRY_ACQUIRE is about the interrupt lock.
    Compilation compilation =
        compile(
            "class Driver {",
            "  private int settings;",
            "  @OnInterruptIsr boolean onIrq(Interrupt interrupt) { return settings > 0; }",
            "  public void configure(Device device) {",
            "    device.acquireLock();",
            "    settings++;",
            "  }",
            "}");
    List<String> errors = udriverErrors(compilation);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith("[udriver:DEVICE_LOCK_BALANCED]");
  }
}
