package dev.udriver.benchmarks;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.linux.EventFdHardware;
import dev.udriver.runtime.linux.EventFdSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole Linux path as a round trip: the benchmark thread writes an eventfd, the dispatcher
 * wakes in {@code epoll_wait}, reads it and runs the ISR under the interrupt lock, the ISR queues
 * the work item, and the work item, on the worker thread, answers the benchmark thread (parked,
 * as spinning would hold one of this machine's two CPUs). Verifier off. Run with {@code -prof gc}:
 * JMH 1.37 reads the allocation of every thread ({@code getTotalThreadAllocatedBytes}), so {@code
 * gc.alloc.rate.norm} covers the dispatcher and the worker as well as the benchmark thread.
 * Linux only.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(Scope.Benchmark)
public class EventFdPathBenchmark {

  private EventFdHardware hardware;
  private DeviceNode device;
  private EventFdSource source;
  private volatile Thread main;
  private volatile long answered;
  private long sent;

  @Setup(Level.Trial)
  public void setUp() {
    main = Thread.currentThread();
    hardware = EventFdHardware.builder().message("msi").build();
    source = hardware.source("msi", 0);
    device = DeviceNode.builder("eventfd-path", hardware).verifier(false).build();
    device.addDriver(
        new Object(),
        BenchDevices.wiring(
            InterruptConfig.builder(
                    "msi",
                    (interrupt, id) -> {
                      interrupt.queueWorkItemForIsr();
                      return true;
                    })
                .workItem(
                    (interrupt, associated) -> {
                      answered++; // the worker is the only writer
                      LockSupport.unpark(main);
                    })
                .build()));
    device.start();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    device.close();
    hardware.close();
  }

  @Benchmark
  public long eventFdToWorkItem() {
    long expected = ++sent;
    source.signal();
    while (answered < expected) {
      LockSupport.park(this);
    }
    return expected;
  }
}
