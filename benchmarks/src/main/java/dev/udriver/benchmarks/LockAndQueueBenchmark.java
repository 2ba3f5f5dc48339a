package dev.udriver.benchmarks;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.internal.Membarrier;
import dev.udriver.runtime.sim.Simulation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The interrupt lock uncontended (acquire + release around a non-inlined ISR-sized call, beside the
 * call alone), and queueing a work item that is already queued (beside one acquire load and one
 * failing CAS). The interrupt is a real one, of a started device in a deterministic simulation
 * (verifier off, as in production), so nothing runs behind the benchmark's back. The benchmark
 * thread is that simulation's dispatcher: it serves one ISR before measuring, so, as on a real
 * dispatcher thread, the lock is biased to it (when membarrier is available; the set-up prints
 * which lock is in use).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
@State(Scope.Thread)
public class LockAndQueueBenchmark {

  private static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(LockAndQueueBenchmark.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private Simulation sim;
  private Interrupt interrupt;
  private CountingDriver driver;
  @SuppressWarnings("unused")
  private volatile int state = 1; // QUEUED

  @Setup
  public void setUp() {
    sim = Simulation.deterministic();
    SimulatedHardware hardware = SimulatedHardware.builder().edge("irq").build();
    DeviceNode device = sim.deviceBuilder("bench", hardware).verifier(false).build();
    device.addDriver(
        new Object(),
        new dev.udriver.runtime.DriverWiring<>() {
          @Override
          public Class<Object> driverType() {
            return Object.class;
          }

          @Override
          public List<InterruptConfig> interruptConfigs(Object d) {
            return List.of(
                InterruptConfig.builder("irq", (i, id) -> true).workItem((i, a) -> {}).build());
          }
        });
    device.start();
    interrupt = device.getInterrupts().getFirst();
    hardware.interrupt("irq").fire();
    if (sim.runPendingIsrs() != 1) { // this thread runs the ISR: the lock's bias owner
      throw new IllegalStateException("the ISR did not run");
    }
    System.out.println(
        Membarrier.isAvailable()
            ? "interrupt lock: biased to this thread (membarrier available)"
            : "interrupt lock: compare-and-set (" + Membarrier.unavailabilityReason() + ")");
    driver = new CountingDriver();
    if (!interrupt.queueWorkItemForIsr()) { // queued, and never run: every later call coalesces
      throw new IllegalStateException("first queue must succeed");
    }
  }

  @TearDown
  public void tearDown() {
    sim.close();
  }

  @Benchmark
  public boolean noLock() {
    return isr(driver);
  }

  @Benchmark
  public boolean acquireRelease() {
    interrupt.acquireInterruptLock();
    try {
      return isr(driver);
    } finally {
      interrupt.releaseInterruptLock();
    }
  }

  @Benchmark
  public boolean lockHandle() {
    try (var held = interrupt.lock()) {
      return isr(driver);
    }
  }

  @CompilerControl(CompilerControl.Mode.DONT_INLINE)
  private static boolean isr(CountingDriver driver) {
    return driver.onInterrupt(null);
  }

  /** As an ISR does it: with the interrupt lock held (taken once, outside the measurement). */
  @Benchmark
  public boolean queueAlreadyQueued(HeldLock held) {
    return held.interrupt.queueWorkItemForIsr();
  }

  /** The interrupt lock held by the benchmark thread for a whole iteration, as the ISR holds it. */
  @State(Scope.Thread)
  public static class HeldLock {
    Interrupt interrupt;

    @Setup(org.openjdk.jmh.annotations.Level.Iteration)
    public void acquire(LockAndQueueBenchmark benchmark) {
      interrupt = benchmark.interrupt;
      interrupt.acquireInterruptLock();
    }

    @TearDown(org.openjdk.jmh.annotations.Level.Iteration)
    public void release() {
      interrupt.releaseInterruptLock();
    }
  }

  @Benchmark
  public boolean baselineAcquireLoad() {
    return (int) STATE.getAcquire(this) == 0;
  }

  @Benchmark
  public boolean baselineFailingCas() {
    return STATE.compareAndSet(this, 0, 1);
  }
}
