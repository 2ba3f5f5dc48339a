package dev.udriver.benchmarks;

import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.InterruptConfig;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.CompilerControl;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of calling a driver's ISR through its generated wiring, beside a direct call that the
 * JIT may not inline (the floor any dispatcher pays) and a reflective call (what a framework
 * without code generation pays).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
@State(Scope.Thread)
public class IsrDispatchBenchmark {

  private CountingDriver driver;
  private InterruptConfig.Isr generatedIsr;
  private java.lang.reflect.Method reflectedIsr;

  @Setup
  public void setUp() throws NoSuchMethodException {
    driver = new CountingDriver();
    generatedIsr =
        DriverWiring.forDriverClass(CountingDriver.class).interruptConfigs(driver).getFirst().isr();
    reflectedIsr =
        CountingDriver.class.getMethod("onInterrupt", dev.udriver.runtime.Interrupt.class);
  }

  @Benchmark
  public boolean directNotInlined() {
    return callDirectly(driver);
  }

  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private static boolean callDirectly(CountingDriver driver) {
    return driver.onInterrupt(null);
  }

  @Benchmark
  public boolean generatedWiring() {
    return generatedIsr.onInterruptIsr(null, 0);
  }

  @Benchmark
  public Object reflection() throws ReflectiveOperationException {
    return reflectedIsr.invoke(driver, (Object) null);
  }
}
