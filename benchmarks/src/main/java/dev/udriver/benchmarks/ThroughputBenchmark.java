package dev.udriver.benchmarks;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DispatcherGroup;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.SimulatedInterrupt;
import dev.udriver.runtime.sim.Simulation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * ISR calls per second through one dispatcher with many interrupt sources (16 MSI messages), full
 * path: signal, hand-off, interrupt lock, ISR through the generated-style call site, statistics
 * and timing, and a coalescing work item queued by every ISR.
 *
 * <p>{@code threaded}: the benchmark thread raises the 16 messages in turn while the dispatcher
 * thread serves them; the score is fires/s, the {@code isrCalls} counter ISR calls/s. {@code
 * singleThread}: the same path with the deterministic simulation on one thread, per ISR call (no
 * hand-off, no coalescing): its inverse is the dispatcher's ceiling.
 */
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ThroughputBenchmark {

  static final int SOURCES = 16;
  private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

  static InterruptConfig config(long[] isrCalls) {
    return InterruptConfig.builder(
            "q",
            (interrupt, messageId) -> {
              // Single writer (the dispatcher): opaque add, readable by the benchmark thread.
              COUNT.setOpaque(isrCalls, 0, (long) COUNT.getOpaque(isrCalls, 0) + 1);
              interrupt.queueWorkItemForIsr();
              return true;
            })
        .workItem((interrupt, device) -> {})
        .build();
  }

  /** A started device with 16 MSI messages served by a real dispatcher thread. */
  @State(Scope.Benchmark)
  public static class Threaded {
    DispatcherGroup group;
    DeviceNode device;
    SimulatedInterrupt queues;
    final long[] isrCalls = new long[1];

    @Setup(Level.Trial)
    public void setUp() {
      group = DispatcherGroup.create("throughput");
      SimulatedHardware hardware = SimulatedHardware.builder().msi("q", SOURCES).build();
      queues = hardware.interrupt("q");
      device = group.device("bench", hardware).verifier(false).build();
      device.addDriver(new Object(), BenchDevices.wiring(config(isrCalls)));
      device.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      device.close();
      group.close();
    }
  }

  /** ISR calls observed, reported per second beside the fires. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long isrCalls;
    private long seen;

    void observe(long[] calls) {
      long now = (long) COUNT.getOpaque(calls, 0);
      isrCalls += now - seen;
      seen = now;
    }
  }


  @State(Scope.Thread)
  public static class Turn {
    int next;
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void threaded(Threaded state, Counters counters, Turn turn) {
    state.queues.fire(turn.next++ & (SOURCES - 1));
    counters.observe(state.isrCalls);
  }

  /** The same device in a deterministic simulation: the test thread is the dispatcher. */
  @State(Scope.Thread)
  public static class SingleThread {
    Simulation sim;
    SimulatedInterrupt queues;
    final long[] isrCalls = new long[1];

    @Setup(Level.Trial)
    public void setUp() {
      sim = Simulation.deterministic();
      SimulatedHardware hardware = SimulatedHardware.builder().msi("q", SOURCES).build();
      queues = hardware.interrupt("q");
      DeviceNode device = sim.deviceBuilder("bench", hardware).verifier(false).build();
      device.addDriver(new Object(), BenchDevices.wiring(config(isrCalls)));
      device.start();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      sim.close();
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  @OperationsPerInvocation(SOURCES)
  public int singleThread(SingleThread state) {
    for (int m = 0; m < SOURCES; m++) {
      state.queues.fire(m);
    }
    int batches = state.sim.runPendingIsrs();
    state.sim.runWorkItems();
    return batches;
  }
}
