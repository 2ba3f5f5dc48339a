package dev.udriver.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DispatcherGroup;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.InterruptSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * A fire racing a disconnect (a device's stop) is delivered before the disconnect returns, or lost
 * and counted; never delivered after it. Each test holds a raise between the moment the source read
 * its sink and the moment the interrupt object has the signal, starts the disconnect meanwhile, and
 * checks that the disconnect waits for that raise and that every fire is accounted exactly once.
 */
// A disconnect that waits for a raise that never finishes shows as a test that never ends.
@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class FireRacingStopTest {

  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** A sink that holds the first signal it gets until {@link #release}, then delivers it. */
  static final class HoldingSink implements InterruptSink {
    final InterruptSink target;
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean armed = new AtomicBoolean();

    HoldingSink(InterruptSink target) {
      this.target = target;
    }

    @Override
    public void signal(long count) {
      if (armed.compareAndSet(true, false)) {
        held.countDown();
        await(release);
      }
      target.signal(count);
    }
  }

  /**
   * Hardware that puts a {@link HoldingSink} between each simulated source and what the runtime
   * connects to it (the interrupt object), and records when the simulated source's disconnect
   * returned.
   */
  static final class HoldingHardware implements DeviceHardware {
    final SimulatedHardware simulated;
    final AtomicReference<HoldingSink> sink = new AtomicReference<>();
    final AtomicBoolean sourceDisconnected = new AtomicBoolean();

    HoldingHardware(SimulatedHardware simulated) {
      this.simulated = simulated;
    }

    @Override
    public Set<String> interruptNames() {
      return simulated.interruptNames();
    }

    @Override
    public int requestedInterrupts(String name) {
      return simulated.requestedInterrupts(name);
    }

    @Override
    public List<GrantedInterrupt> assignInterrupts(String name) {
      return simulated.assignInterrupts(name).stream()
          .map(granted -> new GrantedInterrupt(granted.resource(), holding(granted.source())))
          .toList();
    }

    private InterruptSource holding(InterruptSource source) {
      return new InterruptSource() {
        @Override
        public void connect(InterruptSink target) {
          HoldingSink holding = new HoldingSink(target);
          sink.set(holding);
          sourceDisconnected.set(false);
          source.connect(holding);
        }

        @Override
        public void disconnect() {
          source.disconnect();
          sourceDisconnected.set(true);
        }

        @Override
        public void afterIsr(boolean claimed) {
          source.afterIsr(claimed);
        }
      };
    }

    @Override
    public void releaseInterrupts() {
      simulated.releaseInterrupts();
    }
  }

  /**
   * The source alone: a disconnect waits for the raise that read the sink before it began, and a
   * raise that starts once it began is lost without waiting.
   */
  @Test
  void disconnectWaitsForTheRaiseThatReadTheSink() throws Exception {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("e").build();
    SimulatedInterrupt e = hardware.interrupt("e");
    InterruptSource source = hardware.assignInterrupts("e").getFirst().source();
    AtomicLong delivered = new AtomicLong();
    AtomicBoolean disconnected = new AtomicBoolean();
    AtomicBoolean deliveredAfterDisconnect = new AtomicBoolean();
    HoldingSink sink =
        new HoldingSink(
            count -> {
              deliveredAfterDisconnect.compareAndSet(false, disconnected.get());
              delivered.addAndGet(count);
            });
    source.connect(sink);
    sink.armed.set(true);
    Thread firer = Thread.ofPlatform().name("firer").start(e::fire);
    await(sink.held); // the raise read the sink and is delivering

    Thread disconnector =
        Thread.ofPlatform()
            .name("disconnector")
            .start(
                () -> {
                  source.disconnect();
                  disconnected.set(true);
                });
    awaitTrue("the disconnect to clear the sink", () -> !e.isConnected());
    e.fire(); // starts once the disconnect began: lost at once, never waited for
    assertEquals(1, e.lostSignals());
    awaitTrue(
        "the disconnect to return or to wait",
        () -> disconnected.get() || isWaiting(disconnector));
    assertFalse(disconnected.get(), "the disconnect returned while a raise was delivering");

    sink.release.countDown();
    join(firer);
    join(disconnector);
    assertFalse(deliveredAfterDisconnect.get(), "the signal arrived after the disconnect returned");
    assertEquals(1, delivered.get());
    assertEquals(1, e.lostSignals(), "two fires: one delivered, one lost");
  }

  /**
   * A device's stop, with a fire held after the source read the interrupt object: the stop waits
   * for it, and the statistics read right after the stop count it (as dropped: it arrived while
   * the interrupt was being disconnected).
   */
  @Test
  void statisticsReadAfterStopCountAFireThatRacedIt() throws Exception {
    SimulatedHardware simulated = SimulatedHardware.builder().edge("irq").build();
    SimulatedInterrupt irq = simulated.interrupt("irq");
    HoldingHardware hardware = new HoldingHardware(simulated);
    AtomicLong served = new AtomicLong();
    InterruptConfig config =
        InterruptConfig.builder(
                "irq",
                (interrupt, id) -> {
                  served.incrementAndGet();
                  return true;
                })
            .build();
    try (DispatcherGroup group = DispatcherGroup.create("fire-stop");
        DeviceNode device = group.device("dev", hardware).verifier(false).build()) {
      device.addDriver(new Object(), HandWiring.of(config));
      device.start();
      irq.fire();
      awaitTrue("the first fire to be served", () -> served.get() == 1);

      HoldingSink sink = hardware.sink.get();
      sink.armed.set(true);
      Thread firer = Thread.ofPlatform().name("firer").start(irq::fire);
      await(sink.held); // the raise read the sink and has not reached the interrupt object

      AtomicReference<InterruptStatistics> afterStop = new AtomicReference<>();
      Thread stopper =
          Thread.ofPlatform()
              .name("stopper")
              .start(
                  () -> {
                    device.stop();
                    afterStop.set(device.getInterrupts().getFirst().getStatistics());
                  });
      awaitTrue("the stop to disconnect the source", () -> !irq.isConnected());
      awaitTrue(
          "the source's disconnect to return or to wait",
          () -> hardware.sourceDisconnected.get() || isWaiting(stopper));
      assertFalse(
          hardware.sourceDisconnected.get(),
          "the source's disconnect returned while a raise was delivering");

      sink.release.countDown();
      join(firer);
      join(stopper);
      InterruptStatistics statistics = afterStop.get();
      assertNotNull(statistics);
      assertEquals(2, statistics.signals(), statistics::toString);
      assertEquals(1, statistics.isrCalls(), statistics::toString);
      assertEquals(1, statistics.dropped(), statistics::toString);
      assertEquals(0, irq.lostSignals());
      assertEquals(
          2, device.getInterrupts().getFirst().getStatistics().signals(), "a signal came after stop");
    }
  }

  private static boolean isWaiting(Thread thread) {
    Thread.State state = thread.getState();
    return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
  }

  static void awaitTrue(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    while (!condition.getAsBoolean()) {
      assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
      LockSupport.parkNanos(20_000);
    }
  }

  static void await(CountDownLatch latch) {
    try {
      assertTrue(latch.await(TIMEOUT_NANOS, TimeUnit.NANOSECONDS), "timed out");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static void join(Thread thread) throws InterruptedException {
    assertTrue(thread.join(java.time.Duration.ofNanos(TIMEOUT_NANOS)), thread.getName() + " hung");
  }
}
