package dev.udriver.runtime.internal;

import dev.udriver.annotation.InterruptPriority;
import dev.udriver.runtime.ExtendedPolicy;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>Priority orders pending interrupts on a dispatcher (HIGH before NORMAL before LOW) and sets
 * the dispatcher thread's priority to that of the highest-priority interrupt it serves: a Java
 * priority, and on Linux a nice value relative to the one the thread started with (inherited from
 * the thread that started it, normally the process's nice value):
 *
 * <table>
 *   <caption>Interrupt priority → dispatcher thread</caption>
 *   <tr><th>priority</th><th>Java priority</th><th>nice (Linux)</th></tr>
 *   <tr><td>LOW</td><td>3</td><td>start + 5</td></tr>
 *   <tr><td>NORMAL</td><td>5</td><td>start (left as it is)</td></tr>
 *   <tr><td>HIGH</td><td>10</td><td>start − 5</td></tr>
 * </table>
 *
 * <p>Why these values. The Java priority is what other platforms get; HotSpot on Linux ignores it
 * unless started with {@code -XX:ThreadPriorityPolicy=1} as root, so there the nice value is what
 * acts. Linux's threaded interrupt handlers (genirq, {@code request_threaded_irq}) run {@code
 * SCHED_FIFO} 50, above every ordinary thread; a dispatcher stays in the ordinary class ({@code
 * SCHED_OTHER}): an ISR in Java can wait for a garbage-collection safepoint or a page fault, an idle
 * dispatcher may spin ({@code SPIN_THEN_PARK}), and a real-time thread doing either can starve the
 * machine, up to the kernel's real-time throttling. Within that class, each nice step weighs about
 * 1.25×: nice −5 has weight 3121 against 1024 for nice 0, and nice +5 weight 335, so a HIGH
 * dispatcher gets about three times the processor share of a busy NORMAL thread, and a NORMAL one
 * about three times that of a LOW dispatcher, which also yields sooner to ordinary work: a clear
 * order without the extremes (−20 starves ordinary threads of the same processor). NORMAL leaves the
 * nice value alone: a process started with {@code nice -n 10} keeps its dispatchers at 10, LOW and
 * HIGH at 15 and 5.
 *
 * <p>Lowering a nice value below the thread's current one needs {@code CAP_SYS_NICE} (or an {@code
 * RLIMIT_NICE} that allows it, {@code ulimit -e}); without it setting HIGH fails with {@code EACCES}
 * and, for the same reason, so does going back up from LOW. A failure is reported to the group's
 * listener as a warning naming the dispatcher, the interrupt priority and the errno; the dispatcher
 * runs on at the nice value it has, and {@link #describe()} shows both. Nice values are set by
 * {@code setpriority(PRIO_PROCESS, tid, nice)} through the FFM API on the dispatcher thread's own id
 * ({@link ThreadPinning#setNice}); {@code -Dudriver.nice=false} turns them off.
 *
 * <p>An interrupt counts for its dispatcher from the time its device assigns it resources until the
 * device is closed (a stopped device keeps its interrupts and may start again) or a later assignment
 * moves it (a new policy): then the dispatcher's priority falls to that of the highest one it still
 * serves. A dispatcher left serving nothing keeps the priority it has until it serves again: an idle
 * thread costs nothing at any priority, and after a LOW interrupt an unprivileged process could not
 * bring its nice value back down anyway (EACCES).
 *
 * <p>The pool has one watchdog thread for all its devices ({@link PoolWatchdog}, named {@link
 * #watchdogThreadName()}): it runs while at least one of them is started (through its stop) and
 * checks each at that device's own thresholds, reporting to that device's listener. A device whose
 * thresholds are all 0 (those of a deterministic simulation, unless asked) does not start it.
 */
public final class DispatcherPool implements AutoCloseable {

  /**
   * How a pool is built.
   *
   * @param threadNamePrefix dispatcher threads are named after it
   * @param dispatchers unpinned dispatchers (at least 1)
   * @param waitStrategy how idle dispatchers wait
   * @param pinning how pinned dispatchers pin themselves, and how dispatchers set nice values
   * @param clock time source for statistics and the verifier
   * @param timing whether ISR calls and work-item latencies are timed
   * @param manual no threads: the owner serves with {@link #servePending()} (deterministic
   *     simulation)
   * @param reporter where pinning and nice failures and recovered dispatcher failures are reported
   * @param workItemHoldNanos how long a saturated dispatcher may hold back the work items its ISRs
   *     queue (see {@code DispatcherGroup.Builder#workItemHold})
   */
  public record Settings(
      String threadNamePrefix,
      int dispatchers,
      WaitStrategy.Factory waitStrategy,
      ThreadPinning pinning,
      NanoClock clock,
      boolean timing,
      boolean manual,
      Consumer<String> reporter,
      long workItemHoldNanos) {
    public Settings {
      Objects.requireNonNull(threadNamePrefix, "threadNamePrefix");
      Objects.requireNonNull(waitStrategy, "waitStrategy");
      Objects.requireNonNull(pinning, "pinning");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(reporter, "reporter");
      if (dispatchers < 1) {
        throw new IllegalArgumentException("dispatchers must be at least 1: " + dispatchers);
      }
      if (workItemHoldNanos < 0 || workItemHoldNanos > MAX_WORK_ITEM_HOLD_NANOS) {
        throw new IllegalArgumentException(
            "work-item hold must be 0.." + MAX_WORK_ITEM_HOLD_NANOS + " ns: " + workItemHoldNanos);
      }
    }

    /** See {@code DispatcherGroup.Builder#workItemHold}. */
    public static final long DEFAULT_WORK_ITEM_HOLD_NANOS = Dispatcher.DEFAULT_WORK_ITEM_HOLD_NANOS;

    public static final long MAX_WORK_ITEM_HOLD_NANOS = 10_000_000;

    /** Settings with the default work-item hold. */
    public Settings(
        String threadNamePrefix,
        int dispatchers,
        WaitStrategy.Factory waitStrategy,
        ThreadPinning pinning,
        NanoClock clock,
        boolean timing,
        boolean manual,
        Consumer<String> reporter) {
      this(threadNamePrefix, dispatchers, waitStrategy, pinning, clock, timing, manual, reporter,
          DEFAULT_WORK_ITEM_HOLD_NANOS);
    }
  }

  private final Settings settings;
  private final PoolWatchdog watchdog;
  private final Dispatcher[] general;
  private final Map<Long, Dispatcher> pinned = new LinkedHashMap<>(); // guarded by this
  private final List<Dispatcher> all = new CopyOnWriteArrayList<>();
  private final int processors;
  private int nextGeneral; // guarded by this
  private int nextProcessor; // guarded by this
  private boolean started; // guarded by this
  private boolean closed; // guarded by this

  /** An interrupt object of the pool: its device's index and its message number (creation index). */
  private record InterruptKey(int deviceIndex, int messageNumber) {}

  /** Which dispatcher serves an interrupt, at which priority. */
  private record Assignment(Dispatcher dispatcher, InterruptPriority priority) {}

  private final Map<InterruptKey, Assignment> assignments = new HashMap<>(); // guarded by this
  /** The interrupt priority each dispatcher's thread priority is set for; none = never set. */
  private final Map<Dispatcher, InterruptPriority> threadPriorities = new HashMap<>(); // this
  private final Map<WorkItemRunner, Integer> deviceIndexes = new HashMap<>(); // guarded by this

  public DispatcherPool(Settings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.watchdog = new PoolWatchdog(watchdogThreadName(settings.threadNamePrefix()));
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

  /**
   * The name of the pool's watchdog thread, which runs while a device of the pool is started: that
   * of its dispatchers with {@code watchdog} for {@code isr} ({@code udriver-isr-board} → {@code
   * udriver-watchdog-board}; a device with dispatchers of its own: {@code
   * udriver-watchdog-}<i>device</i>).
   */
  public String watchdogThreadName() {
    return watchdog.threadName();
  }

  private static String watchdogThreadName(String dispatcherPrefix) {
    String isr = "udriver-isr-";
    return dispatcherPrefix.startsWith(isr)
        ? "udriver-watchdog-" + dispatcherPrefix.substring(isr.length())
        : dispatcherPrefix + "-watchdog";
  }

  /** The watchdog thread of the pool's devices. */
  PoolWatchdog watchdog() {
    return watchdog;
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
            settings.reporter(),
            settings.workItemHoldNanos());
    if (!settings.manual()) {
      dispatcher.manageNice(settings.pinning(), this::reportNiceFailure);
    }
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
    deviceIndexes.put(worker, nextGeneral);
    return nextGeneral++;
  }

  /** Detaches a closed device: its interrupts no longer count for their dispatchers' priority. */
  void detachDevice(WorkItemRunner worker) {
    List<String> failures = new ArrayList<>();
    synchronized (this) {
      forgetDevice(worker, failures);
    }
    failures.forEach(this::reportNiceFailure);
  }

  private void forgetDevice(WorkItemRunner worker, List<String> failures) {
    workers.remove(worker);
    Integer deviceIndex = deviceIndexes.remove(worker);
    if (deviceIndex == null) {
      return;
    }
    List<Dispatcher> affected = new ArrayList<>();
    assignments
        .entrySet()
        .removeIf(
            entry -> {
              if (entry.getKey().deviceIndex() != deviceIndex) {
                return false;
              }
              affected.add(entry.getValue().dispatcher());
              return true;
            });
    for (Dispatcher dispatcher : affected) {
      updateThreadPriority(dispatcher, failures);
    }
  }

  /** Reports a failure to set a dispatcher's nice value, holding no lock. */
  private void reportNiceFailure(String failure) {
    settings.reporter().accept("dispatcher " + failure);
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

  /**
   * The dispatcher that serves an interrupt, by its policy; sets its thread priority for the
   * highest-priority interrupt it serves (and that of the dispatcher that served the interrupt
   * before, if it moves).
   */
  Dispatcher dispatcherFor(
      ExtendedPolicy policy, boolean messageSignaled, int messageNumber, int deviceIndex) {
    List<String> failures = new ArrayList<>();
    Dispatcher chosen;
    synchronized (this) {
      chosen = assign(policy, messageSignaled, messageNumber, deviceIndex, failures);
    }
    failures.forEach(this::reportNiceFailure);
    return chosen;
  }

  private Dispatcher assign(
      ExtendedPolicy policy,
      boolean messageSignaled,
      int messageNumber,
      int deviceIndex,
      List<String> failures) {
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
    Assignment previous =
        assignments.put(
            new InterruptKey(deviceIndex, messageNumber),
            new Assignment(chosen, policy.priority()));
    updateThreadPriority(chosen, failures);
    if (previous != null && previous.dispatcher() != chosen) {
      updateThreadPriority(previous.dispatcher(), failures);
    }
    return chosen;
  }

  /** Sets a dispatcher's thread priority for the highest-priority interrupt it serves, if any. */
  private void updateThreadPriority(Dispatcher dispatcher, List<String> failures) {
    InterruptPriority highest = null;
    for (Assignment assignment : assignments.values()) {
      if (assignment.dispatcher() == dispatcher
          && (highest == null || assignment.priority().compareTo(highest) > 0)) {
        highest = assignment.priority();
      }
    }
    if (highest == null || highest == threadPriorities.get(dispatcher)) {
      return;
    }
    threadPriorities.put(dispatcher, highest);
    String failure =
        dispatcher.setThreadPriority(
            javaPriority(highest), niceOffset(highest), "interrupt priority " + highest);
    if (failure != null) {
      failures.add(failure);
    }
  }

  static int javaPriority(InterruptPriority priority) {
    return switch (priority) {
      case LOW -> Thread.NORM_PRIORITY - 2;
      case NORMAL -> Thread.NORM_PRIORITY;
      case HIGH -> Thread.MAX_PRIORITY;
    };
  }

  /** The nice value relative to the one the thread started with; see the class comment. */
  static int niceOffset(InterruptPriority priority) {
    return switch (priority) {
      case LOW -> 5;
      case NORMAL -> 0;
      case HIGH -> -5;
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

  /**
   * Descriptions of the dispatchers: name, pinning, the interrupt priority it is set for, its Java
   * priority and nice value (or why that is not the one asked for), pinning report.
   */
  private static String describeHold(long nanos) {
    return nanos % 1000 == 0 ? nanos / 1000 + " µs" : nanos + " ns";
  }

  public synchronized List<String> describe() {
    List<String> lines = new ArrayList<>();
    for (Dispatcher d : all) {
      String report = d.pinningReport();
      InterruptPriority priority = threadPriorities.get(d);
      lines.add(
          d.threadName()
              + (d.processorMask() == 0 ? " unpinned" : " pinned to 0x" + Long.toHexString(d.processorMask()))
              + ", priority " + (priority == null ? "not set" : priority)
              + " (Java " + d.threadPriority() + ", "
              + (settings.manual() ? "served by hand" : d.niceDescription()) + ")"
              + ", work items held up to " + describeHold(settings.workItemHoldNanos())
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

  /**
   * Stops every dispatcher after it serves what was handed to it, and the watchdog thread (on that
   * thread itself, a listener closing a device from a report, it ends after the report).
   */
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
    watchdog.close();
  }
}
