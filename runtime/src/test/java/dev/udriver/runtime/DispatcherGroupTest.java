package dev.udriver.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPriority;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Shared dispatchers, and policy that decides which one serves an interrupt. */
class DispatcherGroupTest {

  private static final Map<String, String> THREADS = new ConcurrentHashMap<>();

  private static InterruptConfig.Isr recordThread(String key) {
    return (interrupt, id) -> {
      THREADS.put(key + id + ".cpus", allowedCpus()); // first: tests await the thread name
      THREADS.put(key + id, Thread.currentThread().getName());
      return true;
    };
  }

  private static String allowedCpus() {
    try {
      return Files.readAllLines(Path.of("/proc/thread-self/status")).stream()
          .filter(l -> l.startsWith("Cpus_allowed_list"))
          .findFirst()
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .orElse("?");
    } catch (Exception e) {
      return "?";
    }
  }

  @Test
  void devicesOfOneGroupShareItsDispatcherThread() {
    SimulatedHardware a = SimulatedHardware.builder().edge("irq").build();
    SimulatedHardware b = SimulatedHardware.builder().edge("irq").build();
    String name = TestSupport.uniqueName("grp");
    try (DispatcherGroup group = DispatcherGroup.create(name);
        DeviceNode first = group.device("a", a).listener(new TestSupport.RecordingListener()).build();
        DeviceNode second = group.device("b", b).listener(new TestSupport.RecordingListener()).build()) {
      first.addDriver(new Object(), TestSupport.wiring(InterruptConfig.builder("irq", recordThread(name + "a")).build()));
      second.addDriver(new Object(), TestSupport.wiring(InterruptConfig.builder("irq", recordThread(name + "b")).build()));
      first.start();
      second.start();
      a.interrupt("irq").fire();
      b.interrupt("irq").fire();
      TestSupport.await("both ISRs", () -> THREADS.containsKey(name + "a0") && THREADS.containsKey(name + "b0"));
      assertEquals("udriver-isr-" + name, THREADS.get(name + "a0"));
      assertEquals(THREADS.get(name + "a0"), THREADS.get(name + "b0"));
      first.stop();
      b.interrupt("irq").fire(); // the other device keeps being served
      TestSupport.await("b again", () -> second.getInterrupts().get(0).getStatistics().isrCalls() == 2);
    }
    assertTrue(TestSupport.liveThreadsNamed("udriver-isr-" + name).isEmpty(), "closing the group ends it");
  }

  @Test
  void specifiedProcessorsPinAndHighPriorityRaisesTheThreadPriority() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("pinned").edge("plain").build();
    String name = TestSupport.uniqueName("pin");
    TestSupport.RecordingListener listener = new TestSupport.RecordingListener();
    int priority[] = new int[1];
    try (DispatcherGroup group = DispatcherGroup.builder(name).listener(listener).build();
        DeviceNode device = group.device("d", hardware).listener(listener).build()) {
      device.addDriver(
          new Object(),
          TestSupport.wiring(
              InterruptConfig.builder(
                      "pinned",
                      (interrupt, id) -> {
                        priority[0] = Thread.currentThread().getPriority();
                        return recordThread(name + "p").onInterruptIsr(interrupt, id);
                      })
                  .policy(ExtendedPolicy.specifiedProcessors(InterruptPriority.HIGH, 0))
                  .build(),
              InterruptConfig.builder("plain", recordThread(name + "n")).build()));
      device.start();
      hardware.interrupt("pinned").fire();
      hardware.interrupt("plain").fire();
      TestSupport.await("both", () -> THREADS.containsKey(name + "p0") && THREADS.containsKey(name + "n0"));
      assertEquals("udriver-isr-" + name + "-cpus-0x1", THREADS.get(name + "p0"));
      assertEquals("udriver-isr-" + name, THREADS.get(name + "n0"));
      assertEquals(Thread.MAX_PRIORITY, priority[0]);
      assertEquals("udriver-isr-" + name + "-cpus-0x1", DeviceNode.dispatcherThreadOf(device.getInterrupts("pinned").get(0)));
      if (System.getProperty("os.name").toLowerCase().contains("linux")) {
        // Only a pinning that is genuinely unavailable excuses the thread from running on CPU 0:
        // no sched_setaffinity (not pinned at all), or the kernel refusing it: EPERM, or EINVAL when
        // CPU 0 is outside the processors this process may use. Any other warning (a nice value
        // that could not be set, say) leaves the assertion in force.
        boolean pinningUnavailable =
            listener.warnings.stream()
                .filter(w -> w.contains("(processors 0x1)"))
                .anyMatch(w -> w.contains("thread not pinned") || w.matches(".*errno (1|22)\\b.*"));
        if (!pinningUnavailable) {
          assertEquals("0", THREADS.get(name + "p0.cpus"), "pinned by sched_setaffinity: " + listener.warnings);
        }
        assertTrue(group.describe().stream().anyMatch(l -> l.contains("pinned to 0x1")), group.describe().toString());
      }
    }
  }

  @Test
  void spreadMessagesGoToDispatchersPinnedPerProcessor() {
    SimulatedHardware hardware = SimulatedHardware.builder().msi("queues", 2).build();
    String name = TestSupport.uniqueName("spread");
    try (DispatcherGroup group = DispatcherGroup.create(name);
        DeviceNode device = group.device("d", hardware).listener(new TestSupport.RecordingListener()).build()) {
      device.addDriver(
          new Object(),
          TestSupport.wiring(
              InterruptConfig.builder("queues", recordThread(name))
                  .policy(ExtendedPolicy.of(AffinityPolicy.SPREAD_MESSAGES_ACROSS_ALL_PROCESSORS, InterruptPriority.NORMAL))
                  .build()));
      device.start();
      hardware.interrupt("queues").fire(0);
      hardware.interrupt("queues").fire(1);
      TestSupport.await("both messages", () -> THREADS.containsKey(name + "0") && THREADS.containsKey(name + "1"));
      assertEquals("udriver-isr-" + name + "-cpus-0x1", THREADS.get(name + "0"));
      if (Runtime.getRuntime().availableProcessors() > 1) {
        assertNotEquals(THREADS.get(name + "0"), THREADS.get(name + "1"));
        assertEquals("udriver-isr-" + name + "-cpus-0x2", THREADS.get(name + "1"));
      }
    }
  }
}
