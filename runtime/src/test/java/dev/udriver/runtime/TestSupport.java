package dev.udriver.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Helpers shared by the runtime tests: hand-written wiring, awaiting, a recording listener. */
final class TestSupport {

  /** Upper bound for anything a test waits for; a correct runtime needs milliseconds. */
  static final long TIMEOUT_MILLIS = 10_000;

  private static final AtomicInteger DEVICE_IDS = new AtomicInteger();

  private TestSupport() {}

  /** A device name unique in this JVM, so thread names never collide between tests. */
  static String uniqueName(String prefix) {
    return prefix + DEVICE_IDS.incrementAndGet();
  }

  /** Wiring for a driver that is a plain object, built by hand from configurations. */
  static DriverWiring<Object> wiring(InterruptConfig... configs) {
    return HandWiring.of(configs);
  }

  /** A device with a driver added (not started). */
  static DeviceNode device(
      SimulatedHardware hardware, DeviceListener listener, InterruptConfig... configs) {
    DeviceNode device = DeviceNode.create(uniqueName("dev"), hardware, listener);
    device.addDriver(new Object(), wiring(configs));
    return device;
  }

  static DeviceNode device(SimulatedHardware hardware, InterruptConfig... configs) {
    return device(hardware, new RecordingListener(), configs);
  }

  /** Joins {@code thread}, failing after {@link #TIMEOUT_MILLIS}. */
  static void join(Thread thread) {
    try {
      if (!thread.join(java.time.Duration.ofMillis(TIMEOUT_MILLIS))) {
        throw new AssertionError(thread.getName() + " did not finish in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** An ISR that queues its work item and claims. */
  static InterruptConfig.Isr queueWorkItem() {
    return (interrupt, messageId) -> {
      interrupt.queueWorkItemForIsr();
      return true;
    };
  }

  /** An ISR that claims and does nothing else. */
  static InterruptConfig.Isr claim() {
    return (interrupt, messageId) -> true;
  }

  /** Waits until {@code condition} holds, failing after {@link #TIMEOUT_MILLIS}. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("timed out waiting until " + what);
      }
      LockSupport.parkNanos(200_000);
    }
  }

  static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS), "timed out on a latch");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail(e);
    }
  }

  /** Awaits inside a callback, where a failed assertion must not escape as a hang. */
  static boolean awaitQuietly(CountDownLatch latch) {
    try {
      return latch.await(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Runs {@code task} on a fresh thread and returns its result (or rethrows its failure). */
  static <T> T onOtherThread(Callable<T> task) {
    FutureTask<T> future = new FutureTask<>(task);
    Thread thread = Thread.ofPlatform().name("test-other").start(future);
    try {
      return future.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new AssertionError(e.getCause());
    } catch (InterruptedException | TimeoutException e) {
      thread.interrupt();
      throw new AssertionError("task on another thread did not finish", e);
    }
  }

  /**
   * Whether another thread could take the interrupt lock right now (released again at once). With
   * the verifier on, a probe outside the enable window is deliberately a LOCK_OUTSIDE_ENABLE_WINDOW
   * finding.
   */
  static boolean lockFreeForOtherThread(Interrupt interrupt) {
    return onOtherThread(
        () -> {
          boolean acquired = interrupt.tryToAcquireInterruptLock();
          if (acquired) {
            interrupt.releaseInterruptLock();
          }
          return acquired;
        });
  }

  /**
   * Whether the current thread holds the interrupt lock, probed through the recursion rule: with
   * the verifier on, a held lock is deliberately reported as a LOCK_RECURSION finding.
   */
  static boolean heldByCurrentThread(Interrupt interrupt) {
    try {
      interrupt.acquireInterruptLock();
    } catch (InterruptRuleViolation violation) {
      return violation.rule().equals("INTERRUPT_LOCK_NO_RECURSION");
    }
    interrupt.releaseInterruptLock();
    return false;
  }

  /** Every thread alive whose name is {@code name}. */
  static List<Thread> liveThreadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().equals(name))
        .toList();
  }

  /** A listener that records what the device reports. */
  static final class RecordingListener implements DeviceListener {
    record Failure(Interrupt interrupt, String callback, Throwable failure) {}

    /** {@code countedIsrCalls}: the interrupt's statistics as the report is made. */
    record Storm(Interrupt interrupt, long unclaimed, long isrCalls, long countedIsrCalls) {}

    final List<Failure> failures = new CopyOnWriteArrayList<>();
    final List<Storm> storms = new CopyOnWriteArrayList<>();
    final List<String> warnings = new CopyOnWriteArrayList<>();
    final List<VerifierFinding> findings = new CopyOnWriteArrayList<>();

    @Override
    public void callbackFailed(Interrupt interrupt, String callback, Throwable failure) {
      failures.add(new Failure(interrupt, callback, failure));
    }

    @Override
    public void interruptStorm(Interrupt interrupt, long unclaimed, long isrCalls) {
      storms.add(new Storm(interrupt, unclaimed, isrCalls, interrupt.getStatistics().isrCalls()));
    }

    @Override
    public void warning(String message) {
      warnings.add(message);
    }

    @Override
    public void verifierFinding(VerifierFinding finding) {
      findings.add(finding);
    }

    List<Failure> failuresOf(String callback) {
      return failures.stream().filter(f -> f.callback().equals(callback)).toList();
    }
  }
}
