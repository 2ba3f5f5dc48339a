package dev.udriver.benchmarks;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DispatcherGroup;
import dev.udriver.runtime.internal.InterruptObject;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.SimulatedInterrupt;
import dev.udriver.runtime.sim.Simulation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;

/**
 * The full ISR path in CPU time instead of wall time: what a thread spends per ISR call, which
 * other processes on a shared machine do not inflate the way they inflate JMH's wall-clock figures
 * (a thread that is not running accrues no CPU time). Two figures, the shapes of {@link
 * ThroughputBenchmark}'s {@code singleThread} and {@code refiring} (timing on, the default): the
 * CPU time of the test thread per ISR in the deterministic simulation, and the CPU time of the
 * dispatcher thread per ISR call with 16 always-pending messages. Each is the best of several
 * rounds after a warm-up.
 *
 * <p>Usage: {@code java -cp benchmarks/target/benchmarks.jar dev.udriver.benchmarks.CpuTimeReport}.
 */
public final class CpuTimeReport {

  private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int SOURCES = ThroughputBenchmark.SOURCES;
  private static final int ROUNDS = 10;
  private static final int WARM_UP_ROUNDS = 3;

  private CpuTimeReport() {}

  public static void main(String[] args) throws Exception {
    double single = singleThreadNanosPerIsr();
    double dispatcher = dispatcherNanosPerIsr();
    System.out.printf(
        "full path per ISR, one thread (sim), CPU time: %.1f ns (budget 50 ns: %.2f×)%n",
        single, single / 50.0);
    System.out.printf(
        "refiring, dispatcher CPU time per ISR call: %.1f ns (%.1f M ISR calls/s per dispatcher"
            + " CPU; target 20 M/s)%n",
        dispatcher, 1_000.0 / dispatcher);
  }

  private static double singleThreadNanosPerIsr() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] isrCalls = new long[1];
    try (Simulation sim = Simulation.deterministic()) {
      SimulatedHardware hardware = SimulatedHardware.builder().msi("q", SOURCES).build();
      SimulatedInterrupt queues = hardware.interrupt("q");
      DeviceNode device = sim.deviceBuilder("cpu", hardware).verifier(false).build();
      device.addDriver(new Object(), BenchDevices.wiring(ThroughputBenchmark.config(isrCalls)));
      device.start();
      double best = Double.MAX_VALUE;
      int batches = 200_000;
      for (int round = 0; round < ROUNDS; round++) {
        long before = threads.getCurrentThreadCpuTime();
        for (int b = 0; b < batches; b++) {
          for (int m = 0; m < SOURCES; m++) {
            queues.fire(m);
          }
          sim.runPendingIsrs();
          sim.runWorkItems();
        }
        double perIsr = (threads.getCurrentThreadCpuTime() - before) / ((double) batches * SOURCES);
        if (round >= WARM_UP_ROUNDS) {
          best = Math.min(best, perIsr);
        }
      }
      return best;
    }
  }

  private static double dispatcherNanosPerIsr() throws InterruptedException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long[] isrCalls = new long[1];
    try (DispatcherGroup group =
        DispatcherGroup.builder("cpu-refiring").idleWait(DispatcherGroup.IdleWait.SPIN_THEN_PARK).build()) {
      SimulatedHardware hardware = SimulatedHardware.builder().msi("q", SOURCES).build();
      SimulatedInterrupt queues = hardware.interrupt("q");
      try (DeviceNode device = group.device("cpu", hardware).verifier(false).build()) {
        device.addDriver(new Object(), BenchDevices.refiring(queues, isrCalls));
        device.start();
        for (int m = 0; m < SOURCES; m++) {
          queues.fire(m);
        }
        long dispatcherId = dispatcherThreadId(threads, device);
        double best = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
          long cpuBefore = threads.getThreadCpuTime(dispatcherId);
          long callsBefore = (long) COUNT.getOpaque(isrCalls, 0);
          Thread.sleep(200);
          long cpu = threads.getThreadCpuTime(dispatcherId) - cpuBefore;
          long calls = (long) COUNT.getOpaque(isrCalls, 0) - callsBefore;
          if (round >= WARM_UP_ROUNDS && calls > 0) {
            best = Math.min(best, cpu / (double) calls);
          }
        }
        return best;
      }
    }
  }

  private static long dispatcherThreadId(ThreadMXBean threads, DeviceNode device) {
    // The runtime's interrupts are its interrupt objects, which name their dispatcher thread.
    String name = ((InterruptObject) device.getInterrupts().getFirst()).dispatcherThreadName();
    for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
      if (info.getThreadName().equals(name)) {
        return info.getThreadId();
      }
    }
    throw new IllegalStateException("no dispatcher thread named " + name);
  }
}
