package dev.udriver.benchmarks;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DispatcherGroup;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.SimulatedInterrupt;
import dev.udriver.runtime.sim.Simulation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * <p>{@code threaded}: the benchmark thread is the hardware of the 16 messages. Each message fires
 * again only once the ISR has served its previous signal (as a device that raises its next MSI
 * after the driver acknowledged the last one), so no signal coalesces and every fire costs the
 * dispatcher one ISR call: the score, fires/s, is ISR calls/s (the {@code isrCalls} counter shows
 * the same). An earlier version fired every message back to back regardless; 99.9% of those fires
 * coalesced into pending counts and the score measured the producer's atomic add, not the
 * dispatcher. That figure is bounded by the round trip (16 in flight / hand-off latency), not by
 * what the dispatcher can serve.
 *
 * <p>A producer thread firing the 16 messages back to back (every message always pending) does
 * not measure the dispatcher either on 2 shared processors: the producer spins on one processor,
 * and when the dispatcher has to share a processor with it or with other load it serves one batch
 * per scheduler time slice and parks (measured: 0.1 M ISR calls/s beside 100 M fires/s).
 *
 * <p>{@code refiring}: the dispatcher's service rate without a producer thread competing for the
 * processors. Each message's hardware raises its next interrupt as soon as the ISR acknowledged
 * the last one (the ISR fires its own message again: the dispatcher has just taken its pending
 * count, so the fire takes the signal path, count 0 → 1 and the hand-off, which for a signal raised
 * on the dispatcher thread inside a round is the dispatcher's local list, not the shared stack that
 * a signal from another thread is pushed onto: see {@code threaded} and {@code singleThread} for
 * that). All 16 messages are always pending, every fire is one ISR call, nothing coalesces away;
 * the benchmark thread only sleeps and reads the count. The work items the ISRs queue are held
 * back by the dispatcher for up to 50 µs (or 2,083 ISR calls) and then run by the worker thread; the requests
 * in between coalesce, as they do for any work item queued and not yet started.
 * {@code singleThread}: the same path with the deterministic simulation on one thread,
 * per ISR call (no hand-off, no coalescing): its inverse is the dispatcher's ceiling.
 */
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ThroughputBenchmark {

  static final int SOURCES = 16;
  private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

  static InterruptConfig config(long[] isrCalls) {
    return config(isrCalls, new long[SOURCES]);
  }

  /** {@code served[m]}: ISR calls of message m, written by the dispatcher with release stores. */
  static InterruptConfig config(long[] isrCalls, long[] served) {
    return InterruptConfig.builder(
            "q",
            (interrupt, messageId) -> {
              // Single writer (the dispatcher): opaque add, readable by the benchmark thread.
              COUNT.setOpaque(isrCalls, 0, (long) COUNT.getOpaque(isrCalls, 0) + 1);
              COUNT.setRelease(served, messageId, (long) COUNT.getOpaque(served, messageId) + 1);
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
    final long[] served = new long[SOURCES];
    final long[] fired = new long[SOURCES]; // benchmark thread only
    int next; // benchmark thread only

    @Setup(Level.Trial)
    public void setUp() {
      // A dispatcher under a sustained interrupt rate: it spins briefly when idle instead of
      // sleeping in the kernel between two batches.
      group =
          DispatcherGroup.builder("throughput")
              .idleWait(DispatcherGroup.IdleWait.SPIN_THEN_PARK)
              .build();
      SimulatedHardware hardware = SimulatedHardware.builder().msi("q", SOURCES).build();
      queues = hardware.interrupt("q");
      device = group.device("bench", hardware).verifier(false).build();
      device.addDriver(new Object(), BenchDevices.wiring(config(isrCalls, served)));
      device.start();
    }

    /** The next message whose previous signal was served (acquire load of its count). */
    int nextReady() {
      int m = next;
      while ((long) COUNT.getAcquire(served, m) != fired[m]) {
        m = (m + 1) & (SOURCES - 1);
        if (m == next) {
          Thread.onSpinWait(); // all 16 in flight: the dispatcher is behind
        }
      }
      next = (m + 1) & (SOURCES - 1);
      fired[m]++;
      return m;
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


  /** One fire of a message whose previous signal was served: one ISR call per operation. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void threaded(Threaded state, Counters counters) {
    state.queues.fire(state.nextReady());
    counters.observe(state.isrCalls);
  }

  /** 16 messages whose ISR fires its own message again: always pending, no producer thread. */
  @State(Scope.Benchmark)
  public static class Refiring {
    DispatcherGroup group;
    DeviceNode device;
    SimulatedInterrupt queues;
    final long[] isrCalls = new long[1];

    @Setup(Level.Trial)
    public void setUp() {
      // ISR timing on, the default: the dispatcher reads the clock once per batch, not per ISR.
      group =
          DispatcherGroup.builder("refiring")
              .idleWait(DispatcherGroup.IdleWait.SPIN_THEN_PARK)
              .build();
      SimulatedHardware hardware = SimulatedHardware.builder().msi("q", SOURCES).build();
      queues = hardware.interrupt("q");
      device = group.device("bench", hardware).verifier(false).build();
      device.addDriver(new Object(), BenchDevices.refiring(queues, isrCalls));
      device.start();
      for (int m = 0; m < SOURCES; m++) {
        queues.fire(m);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      device.stop();
      System.out.println(workItemLatencyUnderSaturation(device));
      device.close();
      group.close();
    }
  }

  /**
   * What holding work items back costs them under a saturated dispatcher: the ISR → work-item
   * latency over every message's runs (the statistics' histogram: upper bounds of power-of-two
   * buckets).
   */
  static String workItemLatencyUnderSaturation(DeviceNode device) {
    long[] buckets = new long[64];
    long max = 0;
    long runs = 0;
    for (Interrupt interrupt : device.getInterrupts()) {
      InterruptStatistics.LatencyHistogram latency = interrupt.getStatistics().workItemLatency();
      long[] own = latency.buckets();
      for (int b = 0; b < buckets.length; b++) {
        buckets[b] += own[b];
      }
      max = Math.max(max, latency.maxNanos());
      runs += interrupt.getStatistics().workItemsRun();
    }
    InterruptStatistics.LatencyHistogram all = new InterruptStatistics.LatencyHistogram(buckets, max);
    return String.format(
        "work items under saturation: %,d runs, ISR → work item latency p50 ≤ %.1f µs, p99 ≤ %.1f µs,"
            + " max %.1f µs",
        runs,
        all.quantileUpperBoundNanos(0.5) / 1e3,
        all.quantileUpperBoundNanos(0.99) / 1e3,
        max / 1e3);
  }

  /** Sleeps 1 ms and counts the ISR calls the dispatcher made meanwhile ({@code isrCalls}/s). */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void refiring(Refiring state, Counters counters) {
    LockSupport.parkNanos(1_000_000);
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
