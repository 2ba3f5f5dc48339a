package dev.udriver.runtime.linux;

import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptResource;
import dev.udriver.runtime.linux.internal.NativeCallException;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Hardware whose interrupts are eventfds: message-signalled vectors raised by software (another
 * thread, another process given the descriptor, or the kernel through VFIO), one eventfd per
 * message. The dispatcher waits on them in {@code epoll}; the ISR runs with no hand-off.
 *
 * <pre>{@code
 * try (EventFdHardware hardware = EventFdHardware.builder().messages("queues", 4).build();
 *      DeviceNode device = DeviceNode.create("nic0", hardware)) {
 *   device.addDriver(new QueuesDriver());
 *   device.start();
 *   hardware.signal("queues", 2);        // MSI message 2: the ISR runs with messageId 2
 * }
 * }</pre>
 *
 * Close the hardware after the device, and after the threads that signal it stopped.
 */
public final class EventFdHardware implements DeviceHardware, AutoCloseable {

  private static final int FIRST_VECTOR = 64;

  private final Map<String, List<EventFdSource>> sources;
  private final Map<String, List<GrantedInterrupt>> granted;
  private final Arena arena;

  private EventFdHardware(Map<String, Integer> declared) {
    LinuxInterrupts.ensureAvailability();
    arena = Arena.ofShared();
    Map<String, List<EventFdSource>> bySource = new LinkedHashMap<>();
    Map<String, List<GrantedInterrupt>> byName = new LinkedHashMap<>();
    int vector = FIRST_VECTOR;
    try {
      for (Map.Entry<String, Integer> entry : declared.entrySet()) {
        List<EventFdSource> list = new ArrayList<>();
        List<GrantedInterrupt> grants = new ArrayList<>();
        for (int i = 0; i < entry.getValue(); i++) {
          EventFdSource source = new EventFdSource(entry.getKey() + "#" + i, arena);
          list.add(source);
          grants.add(new GrantedInterrupt(new InterruptResource.Message(vector++, 0L), source));
        }
        bySource.put(entry.getKey(), List.copyOf(list));
        byName.put(entry.getKey(), List.copyOf(grants));
      }
    } catch (NativeCallException e) {
      bySource.values().forEach(list -> list.forEach(EventFdSource::close));
      arena.close();
      throw LinuxInterfaceException.of(e, "eventfd", "raise RLIMIT_NOFILE if descriptors ran out");
    }
    this.sources = Collections.unmodifiableMap(bySource);
    this.granted = Collections.unmodifiableMap(byName);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Raises message {@code message} of {@code name}. Any thread; no allocation. */
  public void signal(String name, int message) {
    source(name, message).signal();
  }

  /** The eventfd of message {@code message} of {@code name}, to signal it or hand it on. */
  public EventFdSource source(String name, int message) {
    List<EventFdSource> list = sources.get(name);
    if (list == null) {
      throw new IllegalArgumentException("no interrupt '" + name + "'; declared: " + sources.keySet());
    }
    return list.get(message);
  }

  @Override
  public Set<String> interruptNames() {
    return sources.keySet();
  }

  @Override
  public int requestedInterrupts(String name) {
    List<EventFdSource> list = sources.get(name);
    return list == null ? 0 : list.size();
  }

  @Override
  public List<GrantedInterrupt> assignInterrupts(String name) {
    return granted.getOrDefault(name, List.of());
  }

  @Override
  public void releaseInterrupts() {}

  /** Closes the eventfds. */
  @Override
  public void close() {
    for (List<EventFdSource> list : sources.values()) {
      list.forEach(EventFdSource::close);
    }
    arena.close();
  }

  /** Declares the eventfd interrupts by name. */
  public static final class Builder {
    private final Map<String, Integer> declared = new LinkedHashMap<>();

    /** One eventfd interrupt under {@code name}. */
    public Builder message(String name) {
      return messages(name, 1);
    }

    /** {@code count} MSI-style messages under {@code name}: message ids 0 to count - 1. */
    public Builder messages(String name, int count) {
      if (count <= 0) {
        throw new IllegalArgumentException("count must be positive: " + count);
      }
      if (declared.putIfAbsent(name, count) != null) {
        throw new IllegalArgumentException("interrupt '" + name + "' declared twice");
      }
      return this;
    }

    /**
     * Opens the eventfds.
     *
     * @throws LinuxInterfaceException off Linux, without native access, or out of descriptors
     */
    public EventFdHardware build() {
      return new EventFdHardware(declared);
    }
  }
}
