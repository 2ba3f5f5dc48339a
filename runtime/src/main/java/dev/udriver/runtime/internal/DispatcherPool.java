package dev.udriver.runtime.internal;

import dev.udriver.annotation.InterruptPriority;
import dev.udriver.runtime.ExtendedPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The dispatchers that serve the interrupts of one or more devices: the implementation behind
 * {@link dev.udriver.runtime.DispatcherGroup}. Policy is applied here, when a device assigns
 * resources: it decides which dispatcher serves an interrupt and that dispatcher's thread priority.
 *
 * <table>
 *   <caption>Affinity policy → dispatcher</caption>
 *   <tr><th>policy</th><th>dispatcher</th></tr>
 *   <tr><td>MACHINE_DEFAULT, ALL_CLOSE_PROCESSORS, ALL_PROCESSORS_IN_MACHINE</td>
 *       <td>one of the group's unpinned dispatchers (chosen per device, round robin)</td></tr>
 *   <tr><td>SPECIFIED_PROCESSORS</td>
 *       <td>the dispatcher pinned to exactly that processor set (one per distinct set, shared)</td></tr>
 *   <tr><td>ONE_CLOSE_PROCESSOR</td>
 *       <td>a dispatcher pinned to one processor; processors handed out round robin (udriver does
 *       not know the device's NUMA node)</td></tr>
 *   <tr><td>SPREAD_MESSAGES_ACROSS_ALL_PROCESSORS</td>
 *       <td>MSI message n → the dispatcher pinned to processor n mod processors; a line-based
 *       interrupt → as MACHINE_DEFAULT (WDF spreads messages only)</td></tr>
 * </table>
 *
 * <p>Priority orders pending interrupts on a dispatcher (HIGH before NORMAL before LOW) and raises
 * the dispatcher thread's Java priority to the highest priority it serves (LOW 3, NORMAL 5, HIGH
 * 10; never lowered while the group lives). Java priorities map to OS priorities only where the JVM
 * is allowed to (on Linux, {@code -XX:ThreadPriorityPolicy=1} as root); the ordering of pending
 * interrupts holds everywhere.
 */
public final class DispatcherPool implements AutoCloseable {

  /**
   * How a pool is built.
   *
   * @param threadNamePrefix dispatcher threads are named after it
   * @param dispatchers unpinned dispatchers (at least 1)
   * @param waitStrategy how idle dispatchers wait
   * @param pinning how pinned dispatchers pin themselves
   * @param clock time source for statistics and the verifier
   * @param timing whether ISR calls and work-item latencies are timed
   * @param manual no threads: the owner serves with {@link #servePending()} (deterministic
   *     simulation)
   * @param reporter where pinning failures and recovered dispatcher failures are reported
   */
  public record Settings(
      String threadNamePrefix,
      int dispatchers,
      WaitStrategy.Factory waitStrategy,
      ThreadPinning pinning,
      NanoClock clock,
      boolean timing,
      boolean manual,
      Consumer<String> reporter) {
    public Settings {
      Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
      Objects.requireNonNull(waitStrategy, "waitStrategy");
      Objects.requireNonNull(pinning, "pinning");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(reporter, "reporter");
      if (dispatchers < 1) {
        throw new IllegalArgumentException("dispatchers must be at least 1: " + dispatchers);
      }
    }
  }

  private final Settings settings;
  private final Dispatcher[] general;
  private final Map<Long, Dispatcher> pinned = new LinkedHashMap<>(); // guarded by this
  private final List<Dispatcher> all = new CopyOnWriteArrayList<>();
  private final int processors;
  private int nextGeneral; // guarded by this
  private int nextProcessor; // guarded by this
  private boolean started; // guarded by this
  private boolean closed; // guarded by this

  public DispatcherPool(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    // Registers the Flight Recorder event types now, not at the first ISR: a recording that starts
    // before them would otherwise miss the first events while they register.
    JfrEvents.isrEnabled();
    this.processors = Math.max(1, Math.min(64, Runtime.getRuntime().availableProcessors()));
    this.general = new Dispatcher[settings.dispatchers()];
    for (int i = 0; i < general.length; i++) {
      String name =
          general.length == 1 ? settings.threadNamePrefix() : settings.threadNamePrefix() + "-" + i;
      general[i] = newDispatcher(name, 0L);
    }
  }

  public Settings settings() {
    return settings;
  }

  NanoClock clock() {
    return settings.clock();
  }

  boolean timing() {
    return settings.timing();
  }

  boolean isManual() {
    return settings.manual();
  }

  private Dispatcher newDispatcher(String name, long mask) {
    Dispatcher dispatcher =
        new Dispatcher(
            name,
            settings.waitStrategy().create(name),
            failure -> settings.reporter().accept("dispatcher " + name + " recovered from " + failure),
            settings.clock(),
            settings.timing(),
            settings.manual(),
            mask,
            settings.pinning(),
            settings.reporter());
    all.add(dispatcher);
    return dispatcher;
  }

  /** Starts the unpinned dispatchers (pinned ones start when first needed). Idempotent. */
  public synchronized void start() {
    if (closed) {
      throw new IllegalStateException("dispatcher group " + settings.threadNamePrefix() + " is closed");
    }
    started = true;
    for (Dispatcher dispatcher : all) {
      dispatcher.start();
    }
  }

  private final List<WorkItemRunner> workers = new CopyOnWriteArrayList<>();

  /** Attaches a device by its worker; returns its index, which picks its unpinned dispatcher. */
  synchronized int attachDevice(WorkItemRunner worker) {
    workers.add(worker);
    return nextGeneral++;
  }

  synchronized void detachDevice(WorkItemRunner worker) {
    workers.remove(worker);
  }

  /** Manual pools: runs the queued work items of every attached device on the calling thread. */
  public int runWorkItems() {
    if (!settings.manual()) {
      throw new IllegalStateException("only a manual (deterministic) dispatcher group is served by hand");
    }
    int total = 0;
    for (WorkItemRunner worker : workers) {
      total += worker.serveManually();
    }
    return total;
  }

  /** Whether a work item of an attached device is queued. */
  public boolean hasQueuedWorkItems() {
    for (WorkItemRunner worker : workers) {
      if (worker.hasWork()) {
        return true;
      }
    }
    return false;
  }

  /** The dispatcher that serves an interrupt, by its policy; raises its thread priority. */
  synchronized Dispatcher dispatcherFor(
      ExtendedPolicy policy, boolean messageSignaled, int messageNumber, int deviceIndex) {
    Dispatcher chosen =
        switch (policy.policy()) {
          case SPECIFIED_PROCESSORS -> pinnedTo(policy.targetProcessorSet());
          case ONE_CLOSE_PROCESSOR -> pinnedTo(1L << (nextProcessor++ % processors));
          case SPREAD_MESSAGES_ACROSS_ALL_PROCESSORS ->
              messageSignaled
                  ? pinnedTo(1L << (messageNumber % processors))
                  : general[deviceIndex % general.length];
          case MACHINE_DEFAULT, ALL_CLOSE_PROCESSORS, ALL_PROCESSORS_IN_MACHINE ->
              general[deviceIndex % general.length];
        };
    int javaPriority = javaPriority(policy.priority());
    if (javaPriority > chosen.threadPriority()) {
      chosen.setThreadPriority(javaPriority);
    }
    return chosen;
  }

  static int javaPriority(InterruptPriority priority) {
    return switch (priority) {
      case LOW -> Thread.NORM_PRIORITY - 2;
      case NORMAL -> Thread.NORM_PRIORITY;
      case HIGH -> Thread.MAX_PRIORITY;
    };
  }

  private Dispatcher pinnedTo(long mask) {
    Dispatcher dispatcher = pinned.get(mask);
    if (dispatcher == null) {
      dispatcher = newDispatcher(settings.threadNamePrefix() + "-cpus-0x" + Long.toHexString(mask), mask);
      pinned.put(mask, dispatcher);
      if (started) {
        dispatcher.start();
      }
    }
    return dispatcher;
  }

  /** Every dispatcher of the pool, unpinned first. */
  List<Dispatcher> dispatchers() {
    return List.copyOf(all);
  }

  /** Descriptions of the dispatchers: name, pinning, priority, pinning report. */
  public synchronized List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (Dispatcher d : all) {
      String report = d.pinningReport();
      lines.add(
          d.threadName()
              + (d.processorMask() == 0 ? " unpinned" : " pinned to 0x" + Long.toHexString(d.processorMask()))
              + ", priority " + d.threadPriority()
              + (report == null ? "" : ", " + report));
    }
    return lines;
  }

  /**
   * Manual pools: runs every pending ISR on the calling thread, until none is pending (ISRs that
   * make others pending, such as a level line still asserted, run too). Returns the batches served.
   */
  public int servePending() {
    if (!settings.manual()) {
      throw new IllegalStateException("only a manual (deterministic) dispatcher group is served by hand");
    }
    int total = 0;
    boolean progress = true;
    while (progress) {
      progress = false;
      for (Dispatcher dispatcher : all) {
        int served = dispatcher.serveManually();
        total += served;
        progress |= served > 0;
      }
    }
    return total;
  }

  /** Whether any dispatcher has a pending interrupt. */
  public boolean hasPending() {
    for (Dispatcher dispatcher : all) {
      if (dispatcher.hasWork()) {
        return true;
      }
    }
    return false;
  }

  /** Stops every dispatcher after it serves what was handed to it. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (Dispatcher dispatcher : all) {
      dispatcher.stop();
    }
  }
}
