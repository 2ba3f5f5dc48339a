package dev.udriver.runtime.sim;

import static dev.udriver.runtime.sim.FireRacingStopTest.await;
import static dev.udriver.runtime.sim.FireRacingStopTest.awaitTrue;
import static dev.udriver.runtime.sim.FireRacingStopTest.join;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.InterruptSource;
import dev.udriver.runtime.internal.Membarrier;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The two ways a simulated source counts its raises against a disconnect: per thread with plain
 * stores and a membarrier on the disconnect (where membarrier exists, the default), and with one
 * shared atomic count (the fallback). Each test runs both; {@link FireRacingStopTest} runs the
 * default through a device.
 */
@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class RaiseCountingTest {

  private static SimulatedInterrupt edge(boolean asymmetric) {
    if (asymmetric) {
      assumeTrue(Membarrier.isAvailable(), "membarrier: " + Membarrier.unavailabilityReason());
    }
    return new SimulatedInterrupt("e", SimulatedInterrupt.Kind.EDGE, false, 1, 1, asymmetric);
  }

  private static InterruptSource sourceOf(SimulatedInterrupt interrupt) {
    return interrupt.grant(32).getFirst().source();
  }

  @Test
  void theDefaultCountsPerThreadWhereMembarrierExists() {
    SimulatedInterrupt e = SimulatedHardware.builder().edge("e").build().interrupt("e");
    assertEquals(Membarrier.isAvailable(), e.countsRaisesPerThread());
  }

  /** A disconnect waits for the raise that read the sink; a raise after its clear is lost. */
  @ParameterizedTest(name = "per thread: {0}")
  @ValueSource(booleans = {true, false})
  void disconnectWaitsForTheRaiseThatReadTheSink(boolean asymmetric) throws Exception {
    SimulatedInterrupt e = edge(asymmetric);
    InterruptSource source = sourceOf(e);
    AtomicLong delivered = new AtomicLong();
    AtomicBoolean disconnected = new AtomicBoolean();
    AtomicBoolean deliveredAfterDisconnect = new AtomicBoolean();
    FireRacingStopTest.HoldingSink sink =
        new FireRacingStopTest.HoldingSink(
            count -> {
              deliveredAfterDisconnect.compareAndSet(false, disconnected.get());
              delivered.addAndGet(count);
            },
            false);
    source.connect(sink);
    sink.armed.set(true);
    Thread firer = Thread.ofPlatform().name("firer").start(e::fire);
    await(sink.held);

    Thread disconnector = disconnectInBackground(source, disconnected);
    awaitTrue("the disconnect to clear the sink", () -> !e.isConnected());
    e.fire();
    assertEquals(1, e.lostSignals());
    assertDisconnectWaits(disconnector, disconnected, "a raise");

    sink.release.countDown();
    join(firer);
    join(disconnector);
    assertFalse(deliveredAfterDisconnect.get(), "the signal arrived after the disconnect returned");
    assertEquals(1, delivered.get());
    assertEquals(1, e.lostSignals());
  }

  /**
   * A raise nested in a raise on the same thread (a sink that raises again) counts in twice and
   * out twice: a disconnect from another thread still waits for the outer one.
   */
  @ParameterizedTest(name = "per thread: {0}")
  @ValueSource(booleans = {true, false})
  void aNestedRaiseKeepsTheOuterOneCounted(boolean asymmetric) throws Exception {
    SimulatedInterrupt e = edge(asymmetric);
    InterruptSource source = sourceOf(e);
    AtomicLong delivered = new AtomicLong();
    AtomicBoolean disconnected = new AtomicBoolean();
    AtomicBoolean deliveredAfterDisconnect = new AtomicBoolean();
    CountDownLatch innerDone = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean nested = new AtomicBoolean();
    source.connect(
        count -> {
          deliveredAfterDisconnect.compareAndSet(false, disconnected.get());
          delivered.addAndGet(count);
          if (nested.compareAndSet(false, true)) {
            e.fire(); // inner raise: counts in and out inside the outer one
            innerDone.countDown();
            await(release);
          }
        });
    Thread firer = Thread.ofPlatform().name("firer").start(e::fire);
    await(innerDone);
    Thread disconnector = disconnectInBackground(source, disconnected);
    assertDisconnectWaits(disconnector, disconnected, "the outer raise");
    release.countDown();
    join(firer);
    join(disconnector);
    assertFalse(deliveredAfterDisconnect.get());
    assertEquals(2, delivered.get());
    assertEquals(0, e.lostSignals());
  }

  /**
   * Threads raise back to back while the source is connected and disconnected over and over: after
   * each disconnect returns, its sink is never called again, and at the end every raise was
   * delivered to some connection or counted lost.
   */
  @ParameterizedTest(name = "per thread: {0}")
  @ValueSource(booleans = {true, false})
  void everyRaiseIsDeliveredBeforeTheDisconnectReturnsOrLost(boolean asymmetric) throws Exception {
    SimulatedInterrupt e = edge(asymmetric);
    InterruptSource source = sourceOf(e);
    int raisers = 3;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(700);
    AtomicBoolean done = new AtomicBoolean();
    long[] raised = new long[raisers]; // each thread its own; read after join
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < raisers; t++) {
      int row = t;
      threads.add(
          Thread.ofPlatform()
              .name("raiser-" + t)
              .start(
                  () -> {
                    while (!done.get()) {
                      e.fire();
                      raised[row]++;
                    }
                  }));
    }
    AtomicLong delivered = new AtomicLong();
    AtomicBoolean lateSignal = new AtomicBoolean();
    int cycles = 0;
    try {
      while (System.nanoTime() < deadline && cycles < 2_000) {
        cycles++;
        AtomicBoolean returned = new AtomicBoolean();
        source.connect(
            count -> {
              if (returned.get()) {
                lateSignal.set(true);
              }
              Thread.yield(); // widens the window between reading the sink and delivering
              delivered.addAndGet(count);
            });
        LockSupport.parkNanos(20_000);
        source.disconnect();
        returned.set(true);
      }
    } finally {
      done.set(true);
      for (Thread thread : threads) {
        join(thread);
      }
    }
    long total = 0;
    for (long r : raised) {
      total += r;
    }
    assertFalse(lateSignal.get(), "a sink was called after its disconnect returned");
    assertEquals(total, delivered.get() + e.lostSignals(), "raises delivered or lost");
    assertTrue(delivered.get() > 0 && e.lostSignals() > 0, "both outcomes occurred");
  }

  /** Threads that raised once and ended leave their slot to the next thread: it does not grow. */
  @Test
  void aThreadThatEndedLeavesItsSlotToTheNext() throws Exception {
    SimulatedInterrupt e = edge(true);
    InterruptSource source = sourceOf(e);
    AtomicLong delivered = new AtomicLong();
    source.connect(delivered::addAndGet);
    e.fire();
    assertEquals(1, e.raiseSlots(0), "the test thread's");
    for (int i = 0; i < 20; i++) {
      join(Thread.ofPlatform().start(e::fire));
    }
    assertEquals(2, e.raiseSlots(0), "the test thread's and one reused by each ended thread");
    assertEquals(21, delivered.get());
  }

  /** Disconnects {@code source} on a thread of its own, which sets {@code disconnected} once done. */
  private static Thread disconnectInBackground(InterruptSource source, AtomicBoolean disconnected) {
    return Thread.ofPlatform()
        .name("disconnector")
        .start(
            () -> {
              source.disconnect();
              disconnected.set(true);
            });
  }

  /** The disconnect waits (for {@code raise}, still delivering) instead of returning. */
  private static void assertDisconnectWaits(
      Thread disconnector, AtomicBoolean disconnected, String raise) {
    awaitTrue(
        "the disconnect to return or to wait",
        () -> disconnected.get() || isWaiting(disconnector));
    assertFalse(disconnected.get(), "the disconnect returned while " + raise + " was delivering");
  }

  private static boolean isWaiting(Thread thread) {
    Thread.State state = thread.getState();
    return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
  }
}
