package dev.udriver.runtime.linux;

import static dev.udriver.runtime.linux.LinuxTestSupport.assumeLinux;
import static dev.udriver.runtime.linux.LinuxTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.linux.internal.EpollWaitStrategy;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The epoll wait on its own: wake-ups, unregister during a batch, allocation, teardown. */
class EpollWaitStrategyTest {

  @BeforeEach
  void linuxOnly() {
    assumeLinux();
  }

  /** A thread looping in await until stopped, as a dispatcher does. */
  private static final class Waiter implements AutoCloseable {
    final EpollWaitStrategy wait = new EpollWaitStrategy("test-wait");
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong wakes = new AtomicLong();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    final Thread thread;

    Waiter() {
      thread =
          Thread.ofPlatform()
              .name("test-wait")
              .start(
                  () -> {
                    wait.bind(Thread.currentThread());
                    java.util.function.BooleanSupplier stopping = () -> !running.get();
                    try {
                      while (running.get()) {
                        wait.await(stopping, 10_000_000_000L);
                        wakes.incrementAndGet();
                      }
                    } catch (Throwable t) {
                      failure.set(t);
                    } finally {
                      wait.close();
                    }
                  });
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      wait.wake();
      thread.join(10_000);
      assertFalse(thread.isAlive(), "the waiter did not stop");
    }
  }

  @Test
  void wakeEndsALongWaitPromptly() throws Exception {
    Waiter waiter = new Waiter();
    Thread.sleep(50); // it is in epoll_wait with a 10 s timeout
    long start = System.nanoTime();
    waiter.close();
    assertTrue(System.nanoTime() - start < 1_000_000_000L, "stop took too long");
    assertEquals(null, waiter.failure.get());
  }

  @Test
  void noSinkCallAfterUnregisterReturnsEvenWithTheEventInTheBatch() throws Exception {
    try (EventFdHardware hardware = EventFdHardware.builder().messages("v", 8).build();
        Waiter waiter = new Waiter()) {
      for (int round = 0; round < 2_000; round++) {
        AtomicBoolean unregistered = new AtomicBoolean();
        AtomicLong late = new AtomicLong();
        EventFdSource[] sources = new EventFdSource[8];
        for (int i = 0; i < 8; i++) {
          sources[i] = hardware.source("v", i);
          EventFdSource victim = sources[i];
          waiter.wait.register(
              victim,
              count -> {
                if (victim == sources[0] && unregistered.get()) {
                  late.incrementAndGet();
                }
              });
        }
        for (EventFdSource source : sources) {
          source.signal();
        }
        waiter.wait.unregister(sources[0]);
        unregistered.set(true);
        for (int i = 1; i < 8; i++) {
          waiter.wait.unregister(sources[i]);
        }
        assertEquals(0, late.get(), "a sink was called after unregister returned");
        for (EventFdSource source : sources) {
          source.readSignals(); // drain for the next round
        }
      }
    }
  }

  @Test
  void noAllocationPerInterruptOrPerWake() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (EventFdHardware hardware = EventFdHardware.builder().message("v").build();
        Waiter waiter = new Waiter()) {
      AtomicLong signals = new AtomicLong();
      EventFdSource source = hardware.source("v", 0);
      waiter.wait.register(source, signals::addAndGet);
      long warm = 20_000;
      for (int i = 0; i < warm; i++) {
        source.signal();
        if ((i & 7) == 0) {
          waiter.wait.wake();
        }
      }
      await("warm-up served", () -> signals.get() == warm);
      long before = threads.getThreadAllocatedBytes(waiter.thread.threadId());
      long wakesBefore = waiter.wakes.get();
      long measured = 100_000;
      for (int i = 0; i < measured; i++) {
        source.signal();
        if ((i & 7) == 0) {
          waiter.wait.wake();
        }
        if ((i & 63) == 0) {
          Thread.onSpinWait();
        }
      }
      await("measured signals served", () -> signals.get() == warm + measured);
      long allocated = threads.getThreadAllocatedBytes(waiter.thread.threadId()) - before;
      long wakes = waiter.wakes.get() - wakesBefore;
      assertTrue(wakes > 100, "too few wakes to measure: " + wakes);
      assertTrue(
          allocated < 16 * 1024,
          allocated + " bytes allocated by the waiting thread over " + wakes + " wakes");
      waiter.wait.unregister(source);
    }
  }
}
