package dev.udriver.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DispatcherGroup;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.InterruptSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
 * and counted; never delivered after it. The first two tests hold a raise between the moment the
 * source read its sink and the moment the interrupt object has the signal, start the disconnect
 * meanwhile, and check that the disconnect waits for that raise and that every fire is accounted
 * exactly once. The third races firing threads against stops and starts and checks the accounting
 * after every stop.
 */
// A disconnect that waits for a raise that never finishes shows as a test that never ends.
@Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class FireRacingStopTest {

  private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

  /** Rounds of fires a firing thread of the stress test raises back to back. */
  private static final int BURST = 8;

  private static final long BURST_PAUSE_NANOS = 20_000;

  /**
   * A sink in front of {@code target}: once {@link #armed}, holds the next signal until {@link
   * #release}; {@code yielding}, yields the processor before delivering each signal, which widens
   * the window between a source reading its sink and the target having the signal.
   */
  static final class HoldingSink implements InterruptSink {
    final InterruptSink target;
    final boolean yielding;
    final CountDownLatch held = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean armed = new AtomicBoolean();

    HoldingSink(InterruptSink target, boolean yielding) {
      this.target = target;
      this.yielding = yielding;
    }

    @Override
    public void signal(long count) {
      if (armed.get() && armed.compareAndSet(true, false)) {
        held.countDown();
        await(release);
      }
      if (yielding) {
        Thread.yield();
      }
      target.signal(count);
    }
  }

  /**
   * Hardware that puts a {@link HoldingSink} between each simulated source and what the runtime
   * connects to it (the interrupt object), and records when a simulated source's disconnect
   * returned.
   */
  static final class HoldingHardware implements DeviceHardware {
    final SimulatedHardware simulated;
    final boolean yielding;
    final AtomicReference<HoldingSink> sink = new AtomicReference<>(); // the last connected
    final AtomicBoolean sourceDisconnected = new AtomicBoolean();

    HoldingHardware(SimulatedHardware simulated, boolean yielding) {
      this.simulated = simulated;
      this.yielding = yielding;
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
          HoldingSink holding = new HoldingSink(target, yielding);
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
            },
            false);
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
    HoldingHardware hardware = new HoldingHardware(simulated, false);
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
      long signalsNow = device.getInterrupts().getFirst().getStatistics().signals();
      assertEquals(2, signalsNow, "a signal came after the stop");
    }
  }

  /**
   * Threads fire an edge and both messages of an MSI interrupt in bursts while the device starts
   * and stops, cycle after cycle. After each stop, with the firing threads then held, every fire is
   * counted exactly once: in the statistics read right after the stop returned, or lost at the
   * source; and nothing reaches the interrupt objects after the stop. Each signal yields the
   * processor between the source and the interrupt object, so that stops land in that window.
   */
  @Test
  void everyFireRacingAStopIsDeliveredBeforeItOrLost() throws Exception {
    // At most 1.3 s from here (the first device of a JVM takes a while to set up), 300 cycles.
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1_300);
    SimulatedHardware simulated = SimulatedHardware.builder().edge("e").msi("m", 2).build();
    HoldingHardware hardware = new HoldingHardware(simulated, true);
    SimulatedInterrupt e = simulated.interrupt("e");
    SimulatedInterrupt m = simulated.interrupt("m");
    int firers = 4;
    long[][] fired = new long[firers][2]; // [thread][0: e, 1: m]; each thread writes its own row
    CyclicBarrier go = new CyclicBarrier(firers + 1);
    CyclicBarrier held = new CyclicBarrier(firers + 1);
    AtomicBoolean firing = new AtomicBoolean();
    AtomicBoolean done = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < firers; t++) {
      long[] mine = fired[t];
      threads.add(
          Thread.ofPlatform()
              .name("firer-" + t)
              .start(
                  () -> {
                    try {
                      while (true) {
                        go.await(TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
                        while (firing.get() && !done.get()) {
                          for (int burst = 0; burst < BURST; burst++) {
                            e.fire();
                            mine[0]++;
                            m.fire(0);
                            m.fire(1);
                            mine[1] += 2;
                          }
                          // A pause between bursts lets the dispatcher run dry now and then: a
                          // stop first lets it serve what is pending, until none is or a bound.
                          LockSupport.parkNanos(BURST_PAUSE_NANOS);
                        }
                        if (done.get()) {
                          return;
                        }
                        // The barriers publish the row to the test thread.
                        held.await(TIMEOUT_NANOS, TimeUnit.NANOSECONDS);
                      }
                    } catch (InterruptedException
                        | BrokenBarrierException
                        | TimeoutException stopped) {
                      // the test ended (the finally below broke the barriers) or failed
                    }
                  }));
    }
    InterruptConfig.Isr claim = (interrupt, id) -> true;
    int cycles = 0;
    try (DispatcherGroup group = DispatcherGroup.create("fire-stop-stress");
        DeviceNode device = group.device("dev", hardware).verifier(false).build()) {
      device.addDriver(
          new Object(),
          HandWiring.of(
              InterruptConfig.builder("e", claim).build(),
              InterruptConfig.builder("m", claim).build()));
      List<Interrupt> interruptsOfE = device.getInterrupts("e");
      List<Interrupt> interruptsOfM = device.getInterrupts("m");
      while (cycles < 300 && System.nanoTime() < deadline) {
        cycles++;
        firing.set(true);
        go.await(TIMEOUT_NANOS, TimeUnit.NANOSECONDS); // firing from here, across start and stop
        device.start();
        long delivered = signals(interruptsOfE) + signals(interruptsOfM);
        int wait = cycles % 8; // vary how far into the burst the stop lands
        while (signals(interruptsOfE) + signals(interruptsOfM) - delivered < wait
            && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        device.stop();
        long deliveredE = signals(interruptsOfE);
        long deliveredM = signals(interruptsOfM);
        firing.set(false);
        held.await(TIMEOUT_NANOS, TimeUnit.NANOSECONDS); // no fire in progress from here on

        long firedE = 0;
        long firedM = 0;
        for (long[] row : fired) {
          firedE += row[0];
          firedM += row[1];
        }
        String cycle = "cycle " + cycles + ": ";
        assertEquals(firedE, deliveredE + e.lostSignals(), cycle + "e's fires delivered or lost");
        assertEquals(firedM, deliveredM + m.lostSignals(), cycle + "m's fires delivered or lost");
        assertEquals(deliveredE, signals(interruptsOfE), cycle + "a signal reached e after stop");
        assertEquals(deliveredM, signals(interruptsOfM), cycle + "a signal reached m after stop");
        for (Interrupt interrupt : device.getInterrupts()) {
          InterruptStatistics statistics = interrupt.getStatistics();
          assertEquals(
              statistics.signals(),
              statistics.isrCalls() + statistics.coalesced() + statistics.dropped(),
              () -> cycle + interrupt + " " + statistics);
        }
      }
      assertTrue(signals(interruptsOfE) > 0 && signals(interruptsOfM) > 0, "no fire delivered");
    } finally {
      done.set(true);
      // Resets break the barriers the firing threads wait at. Repeated: a thread descheduled
      // between one barrier and the next reaches the next one only after an earlier reset.
      long joinDeadline = System.nanoTime() + TIMEOUT_NANOS;
      for (Thread thread : threads) {
        while (thread.isAlive() && System.nanoTime() < joinDeadline) {
          go.reset();
          held.reset();
          thread.join(java.time.Duration.ofMillis(10));
        }
        assertFalse(thread.isAlive(), thread.getName() + " hung");
      }
    }
    assertTrue(cycles > 0);
  }

  private static long signals(List<Interrupt> interrupts) {
    long signals = 0;
    for (Interrupt interrupt : interrupts) {
      signals += interrupt.getStatistics().signals();
    }
    return signals;
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
