package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.Device;
import dev.udriver.runtime.DeviceListener;
import dev.udriver.runtime.DeviceStartException;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.HandWiring;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptResource;
import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.PollableInterruptSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Pollable sources are watched by the dispatcher's wait strategy while connected. */
class PollableSourceTest {

  /** A source that stands for a descriptor; {@code pending} is what a read would return. */
  private static final class FakeDescriptorSource implements PollableInterruptSource {
    volatile long pending;

    @Override
    public int fd() {
      return 42;
    }

    @Override
    public long readSignals() {
      long count = pending;
      pending = 0;
      return count;
    }

    @Override
    public void connect(InterruptSink sink) {}

    @Override
    public void disconnect() {}
  }

  /** Watches registered sources by polling them from the service thread. */
  private static final class PollingWait implements WaitStrategy {
    final Map<PollableInterruptSource, InterruptSink> watched = new ConcurrentHashMap<>();
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final ParkWaitStrategy park = new ParkWaitStrategy();

    @Override
    public void bind(Thread serviceThread) {
      park.bind(serviceThread);
    }

    @Override
    public void await(BooleanSupplier hasWork, long timeoutNanos) {
      watched.forEach(
          (source, sink) -> {
            long count = source.readSignals();
            if (count > 0) {
              sink.signal(count);
            }
          });
      park.await(hasWork, Math.min(timeoutNanos, 1_000_000));
    }

    @Override
    public void wake() {
      park.wake();
    }

    @Override
    public boolean supportsPollableSources() {
      return true;
    }

    @Override
    public void register(PollableInterruptSource source, InterruptSink sink) {
      calls.add("register fd " + source.fd());
      watched.put(source, sink);
    }

    @Override
    public void unregister(PollableInterruptSource source) {
      calls.add("unregister fd " + source.fd());
      watched.remove(source);
    }
  }

  private static DeviceHardware hardwareWith(FakeDescriptorSource source) {
    return new DeviceHardware() {
      @Override
      public Set<String> interruptNames() {
        return Set.of("fd");
      }

      @Override
      public int requestedInterrupts(String name) {
        return 1;
      }

      @Override
      public List<GrantedInterrupt> assignInterrupts(String name) {
        return List.of(
            new GrantedInterrupt(new InterruptResource.Message(40, 0L), source));
      }

      @Override
      public void releaseInterrupts() {}
    };
  }

  private static final class Node implements Device {
    final DeviceCore core;

    Node(DeviceHardware hardware, WaitStrategy.Factory wait) {
      core = new DeviceCore("poll" + System.nanoTime(), hardware, new DeviceListener() {}, this, wait);
    }

    @Override
    public String getName() {
      return core.name();
    }

    @Override
    public Interrupt createInterrupt(InterruptConfig config) {
      return core.createInterrupt(config);
    }

    @Override
    public List<Interrupt> getInterrupts() {
      return core.interrupts();
    }

    @Override
    public void acquireLock() {
      core.acquireDeviceLock("acquireLock()");
    }

    @Override
    public void releaseLock() {
      core.releaseDeviceLock();
    }

    @Override
    public HeldLock lock() {
      acquireLock();
      return this::releaseLock;
    }

    @Override
    public <T> T synchronize(Supplier<T> callback) {
      acquireLock();
      try {
        return callback.get();
      } finally {
        releaseLock();
      }
    }
  }

  private static DriverWiring<Object> wiring(InterruptConfig config) {
    return HandWiring.of(config);
  }

  @Test
  void dispatcherThatWatchesDescriptorsServesTheSourceUntilDisconnected() throws Exception {
    FakeDescriptorSource source = new FakeDescriptorSource();
    PollingWait wait = new PollingWait();
    Node node = new Node(hardwareWith(source), threadName -> wait);
    node.core.addDriver(new Object(), wiring(InterruptConfig.builder("fd", (i, id) -> true).build()));
    try {
      node.core.start();
      assertEquals(List.of("register fd 42"), wait.calls);
      Interrupt interrupt = node.getInterrupts().get(0);
      source.pending = 3;
      long deadline = System.nanoTime() + 10_000_000_000L;
      // Signals are counted as the call starts and the call itself when it ends: wait for both.
      while (interrupt.getStatistics().signals() < 3 || interrupt.getStatistics().isrCalls() < 1) {
        assertTrue(System.nanoTime() < deadline, "the watched descriptor was never served");
        Thread.sleep(1);
      }
      assertEquals(1, interrupt.getStatistics().isrCalls());
      assertEquals(2, interrupt.getStatistics().coalesced());
      node.core.stop();
      assertEquals(List.of("register fd 42", "unregister fd 42"), wait.calls);
      assertFalse(wait.watched.containsKey(source));
    } finally {
      node.core.close();
    }
  }

  @Test
  void dispatcherThatCannotWatchDescriptorsFailsTheStartNamingTheInterrupt() {
    FakeDescriptorSource source = new FakeDescriptorSource();
    Node node = new Node(hardwareWith(source), ParkWaitStrategy.FACTORY);
    node.core.addDriver(new Object(), wiring(InterruptConfig.builder("fd", (i, id) -> true).build()));
    try {
      DeviceStartException failure = assertThrows(DeviceStartException.class, node.core::start);
      IllegalStateException cause = assertInstanceOf(IllegalStateException.class, failure.getCause());
      assertTrue(cause.getMessage().contains("/fd#0"), cause.getMessage());
      assertTrue(cause.getMessage().contains("epoll"), cause.getMessage());
    } finally {
      node.core.close();
    }
  }
}
