package dev.udriver.benchmarks;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DispatcherGroup;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.sim.SimulatedHardware;
import dev.udriver.runtime.sim.SimulatedInterrupt;
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
 * Source → ISR hand-off, measured as a round trip: the benchmark thread raises an interrupt and
 * waits until the ISR, on the dispatcher thread, answers. Baselines make the same round trip
 * between two bare threads: park/unpark both ways, or busy spin both ways. {@code *Hog} variants
 * run with one more thread burning a CPU, on this 2-CPU machine: more runnable threads than CPUs.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "--sun-misc-unsafe-memory-access=allow")
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class HandoffBenchmark {

  /** The benchmark thread's reply flag, answered by the ISR or the echo thread. */
  abstract static class Reply {
    volatile long pong;
    volatile boolean waiting;
    volatile Thread main;
    long ping;

    /** The answering side: publish and wake the benchmark thread only if it parked. */
    final void answer(long value) {
      pong = value;
      if (waiting) {
        LockSupport.unpark(main);
      }
    }

    final void awaitParked(long expected) {
      waiting = true;
      while (pong < expected) {
        LockSupport.park(this);
      }
      waiting = false;
      checkAnswer(expected);
    }

    final void awaitSpinning(long expected) {
      while (pong < expected) {
        Thread.onSpinWait();
      }
      checkAnswer(expected);
    }

    /** An answer past the one expected: a raise answered twice fails the run instead of hanging it. */
    private void checkAnswer(long expected) {
      if (pong != expected) {
        throw new IllegalStateException("answer " + pong + " to raise " + expected);
      }
    }
  }

  /**
   * The ISR's own count of its calls, on a line of its own. One raise is one ISR call here (the
   * benchmark thread waits for each answer before it raises again), so the count is the value
   * expected. Answering with {@link Reply#ping} instead would make the ISR read the line the
   * benchmark thread has just written, one cache miss on the dispatcher's side that the echo
   * thread of the baselines does not pay (its ping is the signal it reads anyway).
   */
  @SuppressWarnings("unused")
  static final class IsrCount {
    long p1, p2, p3, p4, p5, p6, p7;
    long calls;
    long q1, q2, q3, q4, q5, q6, q7;
  }

  /** A device whose ISR answers the benchmark thread. */
  @State(Scope.Benchmark)
  public abstract static class Runtime extends Reply {
    final IsrCount isrCount = new IsrCount();
    DispatcherGroup group;
    DeviceNode device;
    SimulatedInterrupt irq;
    Thread hog;
    volatile boolean hogging;

    abstract DispatcherGroup.IdleWait idleWait();

    boolean withHog() {
      return false;
    }

    @Setup(Level.Trial)
    public void setUp() {
      main = Thread.currentThread();
      group = DispatcherGroup.builder("handoff-" + getClass().getSimpleName()).idleWait(idleWait()).build();
      SimulatedHardware hardware = SimulatedHardware.builder().edge("irq").build();
      irq = hardware.interrupt("irq");
      device = group.device("bench", hardware).verifier(false).build();
      device.addDriver(
          new Object(),
          BenchDevices.wiring(
              InterruptConfig.builder(
                      "irq",
                      (interrupt, id) -> {
                        answer(++isrCount.calls);
                        return true;
                      })
                  .build()));
      device.start();
      if (withHog()) {
        hogging = true;
        hog = Thread.ofPlatform().daemon().name("hog").start(() -> {
          long x = 0;
          while (hogging) {
            x += System.nanoTime() & 1;
          }
          if (x == 42) {
            System.out.print("");
          }
        });
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      hogging = false;
      if (hog != null) {
        hog.join();
      }
      device.close();
      group.close();
    }
  }

  public static class RuntimeParked extends Runtime {
    @Override
    DispatcherGroup.IdleWait idleWait() {
      return DispatcherGroup.IdleWait.PARK;
    }
  }

  public static class RuntimeSpin extends Runtime {
    @Override
    DispatcherGroup.IdleWait idleWait() {
      return DispatcherGroup.IdleWait.SPIN_THEN_PARK;
    }
  }

  public static class RuntimeParkedHog extends RuntimeParked {
    @Override
    boolean withHog() {
      return true;
    }
  }

  public static class RuntimeSpinHog extends RuntimeSpin {
    @Override
    boolean withHog() {
      return true;
    }
  }

  /** Two bare threads: the echo thread waits for a ping and answers. */
  @State(Scope.Benchmark)
  public abstract static class Bare extends Reply {
    volatile long ping2;
    volatile boolean echoWaiting;
    volatile boolean running;
    Thread echo;

    abstract boolean spin();

    @Setup(Level.Trial)
    public void setUp() {
      main = Thread.currentThread();
      running = true;
      echo = Thread.ofPlatform().daemon().name("echo").start(() -> {
        long seen = 0;
        while (running) {
          if (ping2 == seen) {
            if (spin()) {
              Thread.onSpinWait();
            } else {
              echoWaiting = true;
              if (ping2 == seen && running) {
                LockSupport.parkNanos(this, 1_000_000);
              }
              echoWaiting = false;
            }
            continue;
          }
          seen = ping2;
          answer(seen);
        }
      });
    }

    void send(long value) {
      ping2 = value;
      if (echoWaiting) {
        LockSupport.unpark(echo);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
      running = false;
      LockSupport.unpark(echo);
      echo.join();
    }
  }

  public static class BarePark extends Bare {
    @Override
    boolean spin() {
      return false;
    }
  }

  public static class BareSpin extends Bare {
    @Override
    boolean spin() {
      return true;
    }
  }

  @Benchmark
  public void bareParkUnpark(BarePark s) {
    long v = ++s.ping;
    s.send(v);
    s.awaitParked(v);
  }

  @Benchmark
  public void bareBusySpin(BareSpin s) {
    long v = ++s.ping;
    s.send(v);
    s.awaitSpinning(v);
  }

  @Benchmark
  public void runtimeParked(RuntimeParked s) {
    long v = ++s.ping;
    s.irq.fire();
    s.awaitParked(v);
  }

  @Benchmark
  public void runtimeSpinThenPark(RuntimeSpin s) {
    long v = ++s.ping;
    s.irq.fire();
    s.awaitSpinning(v);
  }

  @Benchmark
  public void runtimeParkedHog(RuntimeParkedHog s) {
    long v = ++s.ping;
    s.irq.fire();
    s.awaitParked(v);
  }

  /**
   * The reply side waits exactly as in {@link #runtimeParkedHog}, its baseline: with a hog on one
   * of the 2 CPUs, a benchmark thread that spins for its reply holds the other CPU and keeps the
   * dispatcher from running, which measured the harness, not the dispatcher's idle wait.
   */
  @Benchmark
  public void runtimeSpinThenParkHog(RuntimeSpinHog s) {
    long v = ++s.ping;
    s.irq.fire();
    s.awaitParked(v);
  }
}
