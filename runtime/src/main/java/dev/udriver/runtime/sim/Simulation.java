package dev.udriver.runtime.sim;

import dev.udriver.runtime.DeviceListener;
import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DispatcherGroup;
import dev.udriver.runtime.HungCallback;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.VerifierFinding;
import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.internal.DispatcherPool;
import dev.udriver.runtime.internal.NanoClock;
import dev.udriver.runtime.internal.ParkWaitStrategy;
import dev.udriver.runtime.internal.ThreadPinning;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs drivers on simulated hardware for unit tests, in one of two modes.
 *
 * <ul>
 *   <li><b>Deterministic</b> ({@link #deterministic()}): no dispatcher or worker thread. Signals
 *       raised by the test stay pending until the test calls {@link #runPendingIsrs()}; queued work
 *       items until {@link #runWorkItems()}. Time is a {@link VirtualClock} that moves only with
 *       {@link #advance(Duration)}, which also runs the device behaviour scheduled with {@link
 *       #schedule(Duration, Runnable)}. Every interleaving of ISR, work item and driver code that a
 *       test wants is written down in the test and reproduced on every run.
 *   <li><b>Threaded</b> ({@link #threaded()}): the real dispatcher and worker threads; {@link
 *       #awaitIdle()} waits until nothing is pending.
 * </ul>
 *
 * Devices made with {@link #device(String, DeviceHardware)} run with the verifier on and report to
 * the simulation, which keeps every {@link #findings() verifier finding}, {@link #failures()
 * contained failure}, {@link #storms() storm}, {@link #hungCallbacks() hung callback} and {@link
 * #warnings() warning}. Closing the simulation closes its devices.
 */
public final class Simulation implements AutoCloseable {

  /** A contained callback failure. */
  public record Failure(Interrupt interrupt, String callback, Throwable failure) {}

  /** A level line disconnected after a storm. */
  public record Storm(Interrupt interrupt, long unclaimed, long isrCalls) {}

  private record Scheduled(long at, long sequence, Runnable action) {}

  private final boolean deterministic;
  private final VirtualClock clock;
  private final DispatcherGroup group;
  private final List<DeviceNode> devices = new ArrayList<>();
  private final List<VerifierFinding> findings = new CopyOnWriteArrayList<>();
  private final List<Failure> failures = new CopyOnWriteArrayList<>();
  private final List<Storm> storms = new CopyOnWriteArrayList<>();
  private final List<String> warnings = new CopyOnWriteArrayList<>();
  private final List<HungCallback> hungCallbacks = new CopyOnWriteArrayList<>();
  private final PriorityQueue<Scheduled> scheduled =
      new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.sequence, b.sequence));
  private long sequence;
  private final DeviceListener listener =
      new DeviceListener() {
        @Override
        public void callbackFailed(Interrupt interrupt, String callback, Throwable failure) {
          failures.add(new Failure(interrupt, callback, failure));
        }

        @Override
        public void interruptStorm(Interrupt interrupt, long unclaimed, long isrCalls) {
          storms.add(new Storm(interrupt, unclaimed, isrCalls));
        }

        @Override
        public void verifierFinding(VerifierFinding finding) {
          findings.add(finding);
        }

        @Override
        public void warning(String message) {
          warnings.add(message);
        }

        @Override
        public void callbackHung(HungCallback hung) {
          hungCallbacks.add(hung);
        }
      };

  private Simulation(boolean deterministic) {
    this.deterministic = deterministic;
    this.clock = new VirtualClock();
    String name = (deterministic ? "sim-" : "simt-") + Integer.toHexString(System.identityHashCode(this));
    this.group =
        DispatcherGroup.ofPool(
            name,
            new DispatcherPool(
                new DispatcherPool.Settings(
                    "udriver-isr-" + name,
                    1,
                    ParkWaitStrategy.FACTORY,
                    ThreadPinning.NONE,
                    deterministic ? clock : NanoClock.SYSTEM,
                    true,
                    deterministic,
                    listener::warning)));
  }

  /** The test thread runs ISRs and work items, on a virtual clock. */
  public static Simulation deterministic() {
    return new Simulation(true);
  }

  /** Real dispatcher and worker threads, real time. */
  public static Simulation threaded() {
    return new Simulation(false);
  }

  public boolean isDeterministic() {
    return deterministic;
  }

  /**
   * Starts a device on {@code hardware}, served by this simulation, verifier on, reporting here.
   * The builder may override any of that; {@link DeviceNode.Builder#build()} returns it ready for
   * {@code addDriver}.
   */
  public DeviceNode.Builder deviceBuilder(String name, DeviceHardware hardware) {
    DeviceNode.Builder builder = group.device(name, hardware).listener(listener).verifier(true);
    if (deterministic) {
      // Callbacks run on the test's thread, in real time: a test stopped at a breakpoint in an ISR
      // would otherwise fail assertClean() with a hung callback. The builder may turn it on.
      builder.watchdog(Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }
    return builder;
  }

  /** A device on {@code hardware}, served by this simulation, verifier on; closed with it. */
  public DeviceNode device(String name, DeviceHardware hardware) {
    DeviceNode device = deviceBuilder(name, hardware).build();
    devices.add(device);
    return device;
  }

  /** The listener devices of this simulation report to (for devices built by hand). */
  public DeviceListener listener() {
    return listener;
  }

  // ------------------------------------------------------------- deterministic driving

  /**
   * Runs every pending ISR on the calling thread, HIGH before NORMAL before LOW, until none is
   * pending (a level line still asserted after its ISR is pending again, and runs again). Returns
   * how many ISR batches ran.
   */
  public int runPendingIsrs() {
    requireDeterministic("runPendingIsrs");
    return group.pool().servePending();
  }

  /**
   * Runs every queued work item on the calling thread; returns how many batches ran. While the
   * calling thread holds a device's lock ({@link dev.udriver.runtime.Device#acquireLock()}), that
   * device's automatically serialized work items stay queued, as they would wait for the lock on a
   * worker: they run at the first call after the release.
   */
  public int runWorkItems() {
    requireDeterministic("runWorkItems");
    return group.pool().runWorkItems();
  }

  /**
   * Runs ISRs and work items, alternately, until nothing is pending or queued; throws {@link
   * IllegalStateException} if what is left waits for a device lock the calling thread holds.
   */
  public void runUntilIdle() {
    requireDeterministic("runUntilIdle");
    int rounds = 0;
    while (group.pool().hasPending() || group.pool().hasQueuedWorkItems()) {
      int ran = runPendingIsrs() + runWorkItems();
      if (ran == 0 && !group.pool().hasPending()) {
        // Only automatically serialized work items are left, held back by this thread's device lock.
        throw new IllegalStateException(
            "queued work items wait for the device lock, which this thread holds; release it first");
      }
      if (++rounds > 1_000_000) {
        throw new IllegalStateException("the simulated devices never went idle (a line stuck asserted?)");
      }
    }
  }

  /** Whether an ISR is pending. */
  public boolean hasPendingIsrs() {
    return group.pool().hasPending();
  }

  /** Whether a work item is queued. */
  public boolean hasQueuedWorkItems() {
    return group.pool().hasQueuedWorkItems();
  }

  /**
   * Moves the virtual clock forward, running each action scheduled within {@code duration} at its
   * time, in order. ISRs and work items do not run by themselves: call {@link #runPendingIsrs()}.
   */
  public void advance(Duration duration) {
    requireDeterministic("advance");
    long end = clock.nanoTime() + duration.toNanos();
    while (!scheduled.isEmpty() && scheduled.peek().at <= end) {
      Scheduled next = scheduled.poll();
      clock.advance(Duration.ofNanos(next.at - clock.nanoTime()));
      next.action.run();
    }
    clock.advance(Duration.ofNanos(end - clock.nanoTime()));
  }

  /** Runs {@code action} (a device raising an interrupt, say) when the clock reaches now + delay. */
  public void schedule(Duration delay, Runnable action) {
    requireDeterministic("schedule");
    Objects.requireNonNull(action, "action");
    scheduled.add(new Scheduled(clock.nanoTime() + delay.toNanos(), sequence++, action));
  }

  /** The virtual clock (deterministic mode). */
  public VirtualClock clock() {
    requireDeterministic("clock");
    return clock;
  }

  // ------------------------------------------------------------- threaded driving

  /** Waits until no ISR is pending and no work item is queued, for at most 10 seconds. */
  public void awaitIdle() {
    awaitIdle(Duration.ofSeconds(10));
  }

  /** Waits until no ISR is pending and no work item is queued (threaded mode), or fails. */
  public void awaitIdle(Duration timeout) {
    if (deterministic) {
      runUntilIdle();
      return;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    int quiet = 0;
    while (quiet < 3) { // idle three polls in a row: nothing in flight between the two queues
      quiet = group.pool().hasPending() || group.pool().hasQueuedWorkItems() ? 0 : quiet + 1;
      if (System.nanoTime() > deadline) {
        throw new AssertionError("simulated devices still busy after " + timeout);
      }
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
    }
  }

  // ------------------------------------------------------------- what was reported

  public List<VerifierFinding> findings() {
    return List.copyOf(findings);
  }

  public List<Failure> failures() {
    return List.copyOf(failures);
  }

  public List<Storm> storms() {
    return List.copyOf(storms);
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * Callbacks the devices' watchdogs reported running past their thresholds (real time). The
   * watchdog is on for threaded simulations and off for deterministic ones, whose callbacks run on
   * the test's thread (a debugger's pause there is no hang); a device built with {@link
   * DeviceNode.Builder#watchdog} turns it on.
   */
  public List<HungCallback> hungCallbacks() {
    return List.copyOf(hungCallbacks);
  }

  /** Fails with every finding, contained failure and hung callback listed, if there is any. */
  public void assertClean() {
    if (!findings.isEmpty() || !failures.isEmpty() || !hungCallbacks.isEmpty()) {
      AssertionError error =
          new AssertionError(
              "simulation reported " + findings.size() + " verifier finding(s), "
                  + failures.size() + " contained failure(s) and " + hungCallbacks.size()
                  + " hung callback(s): " + findings + " " + failures + " " + hungCallbacks);
      findings.forEach(f -> error.addSuppressed(f.stack()));
      failures.forEach(f -> error.addSuppressed(f.failure()));
      hungCallbacks.forEach(h -> error.addSuppressed(h.stack()));
      throw error;
    }
  }

  private void requireDeterministic(String call) {
    if (!deterministic) {
      throw new IllegalStateException(call + "() drives a deterministic simulation; this one is threaded");
    }
  }

  /** Closes every device made here, then the dispatchers. */
  @Override
  public void close() {
    for (int i = devices.size() - 1; i >= 0; i--) {
      devices.get(i).close();
    }
    group.close();
  }
}
