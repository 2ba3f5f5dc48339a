package dev.udriver.benchmarks;

import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.internal.IsrCallSites;
import dev.udriver.runtime.internal.JfrEvents;
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
 * without code generation pays); then the shape of a real machine, four driver classes served in
 * turn by one dispatcher: through one shared call site (megamorphic) and through the runtime's
 * per-class call sites ({@link IsrCallSites}); and the Flight Recorder check the ISR path makes.
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
  private int generatedSlot;
  private java.lang.reflect.Method reflectedIsr;
  private final InterruptConfig.Isr[] fourClasses = new InterruptConfig.Isr[4];
  private final int[] fourSlots = new int[4];
  private final Object[] fourDrivers = new Object[4];
  private int turn;

  @Setup
  public void setUp() throws NoSuchMethodException {
    driver = new CountingDriver();
    generatedIsr = isrOf(CountingDriver.class, driver);
    generatedSlot = IsrCallSites.slotOf(generatedIsr);
    reflectedIsr =
        CountingDriver.class.getMethod("onInterrupt", dev.udriver.runtime.Interrupt.class);
    fourDrivers[0] = new DriverA();
    fourDrivers[1] = new DriverB();
    fourDrivers[2] = new DriverC();
    fourDrivers[3] = new DriverD();
    fourClasses[0] = isrOf(DriverA.class, (DriverA) fourDrivers[0]);
    fourClasses[1] = isrOf(DriverB.class, (DriverB) fourDrivers[1]);
    fourClasses[2] = isrOf(DriverC.class, (DriverC) fourDrivers[2]);
    fourClasses[3] = isrOf(DriverD.class, (DriverD) fourDrivers[3]);
    for (int i = 0; i < 4; i++) {
      fourSlots[i] = IsrCallSites.slotOf(fourClasses[i]);
    }
  }

  private static <D> InterruptConfig.Isr isrOf(Class<D> type, D instance) {
    return DriverWiring.forDriverClass(type).interruptConfigs(instance).getFirst().isr();
  }

  @Benchmark
  public boolean directNotInlined() {
    return callDirectly(driver);
  }

  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private static boolean callDirectly(CountingDriver driver) {
    return driver.onInterrupt(null);
  }

  /** The generated lambda, called from a site that is not inlined into the benchmark loop. */
  @Benchmark
  public boolean generatedWiring() {
    return callGenerated(generatedIsr);
  }

  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private static boolean callGenerated(InterruptConfig.Isr isr) {
    return isr.onInterruptIsr(null, 0);
  }

  /** As the runtime calls it: through the ISR class's own call site. */
  @Benchmark
  public boolean generatedWiringRuntimeSite() {
    return callThroughSites(generatedSlot, generatedIsr);
  }

  /** The runtime's call plus the Flight Recorder check it makes per ISR call (not recording). */
  @Benchmark
  public boolean generatedWiringWithJfrCheck() {
    return callWithJfrCheck(generatedSlot, generatedIsr);
  }

  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private static boolean callWithJfrCheck(int slot, InterruptConfig.Isr isr) {
    if (JfrEvents.isrEnabled()) {
      throw new IllegalStateException("no recording runs in this benchmark");
    }
    return IsrCallSites.call(slot, isr, null, 0);
  }

  @Benchmark
  public Object reflection() throws ReflectiveOperationException {
    return reflectedIsr.invoke(driver, (Object) null);
  }

  /** Four driver classes in turn through one call site: megamorphic. */
  @Benchmark
  public boolean fourClassesSharedSite() {
    int i = turn++ & 3;
    return callGenerated(fourClasses[i]);
  }

  /** Four driver classes in turn through the runtime's per-class call sites. */
  @Benchmark
  public boolean fourClassesPerClassSites() {
    int i = turn++ & 3;
    return callThroughSites(fourSlots[i], fourClasses[i]);
  }

  /** Four driver classes in turn, called directly (a switch over four direct calls): the floor. */
  @Benchmark
  public boolean fourClassesDirectNotInlined() {
    int i = turn++ & 3;
    return callFourDirectly(i, fourDrivers[i]);
  }

  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private static boolean callFourDirectly(int i, Object d) {
    return switch (i) {
      case 0 -> ((DriverA) d).onInterrupt(null);
      case 1 -> ((DriverB) d).onInterrupt(null);
      case 2 -> ((DriverC) d).onInterrupt(null);
      default -> ((DriverD) d).onInterrupt(null);
    };
  }

  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private static boolean callThroughSites(int slot, InterruptConfig.Isr isr) {
    return IsrCallSites.call(slot, isr, null, 0);
  }
}
