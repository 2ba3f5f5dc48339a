package dev.udriver.runtime.internal;

import dev.udriver.runtime.Device;
import dev.udriver.runtime.DeviceListener;
import dev.udriver.runtime.DeviceRuleViolation;
import dev.udriver.runtime.DeviceStartException;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptRuleViolation;
import dev.udriver.runtime.VerifierFinding;
import dev.udriver.runtime.hardware.DeviceHardware;
import dev.udriver.runtime.hardware.GrantedInterrupt;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The implementation behind {@link dev.udriver.runtime.DeviceNode}: the device's interrupt objects,
 * its dispatcher and worker threads, and the PnP/power sequence of WDF's state machines reduced to
 * what concerns interrupts.
 *
 * <pre>
 *   add driver      interrupt objects created from the wiring (message number = creation index)
 *   start           prepare hardware: resources assigned per name, in creation order
 *                   D0 entry: connect + OnInterruptEnable under the lock, in creation order
 *   stop            D0 exit: OnInterruptDisable under the lock, reverse order; drain work items
 *                   release hardware: info zeroed except the message number
 *   surprise remove as stop, without OnInterruptDisable (the hardware may be gone)
 * </pre>
 *
 * Lifecycle methods hold {@link #lifecycleLock}; the hot path never takes it.
 */
public final class DeviceCore {

  static final String RULE_DRAIN_UNDER_DEVICE_LOCK = "DRAIN_UNDER_DEVICE_LOCK";

  private enum State {
    NEW,
    ADDED,
    STARTED,
    STOPPED,
    REMOVED,
    CLOSED
  }

  private final String name;
  private final DeviceHardware hardware;
  private final DeviceListener listener;
  private final Device view;
  private final DispatcherPool pool;
  /** Whether this device created {@link #pool} and closes it with itself. */
  private final boolean ownsPool;
  private final int deviceIndex;
  private final Settings settings;
  private final WorkItemRunner worker;
  private final CallbackWatchdog watchdog;
  private final ReentrantLock lifecycleLock = new ReentrantLock();
  /**
   * The device object's lock ({@code IWDFObject::AcquireLock}): automatically serialized work items
   * run under it, and driver code takes it through {@link Device#acquireLock()}. A ReentrantLock
   * for its owner tracking; recursion is refused before it would be used (see acquireDeviceLock).
   */
  private final DeviceLock deviceLock = new DeviceLock();
  /**
   * The interrupt whose automatically serialized work item waits for the device lock, or null:
   * written by the worker on the contended acquire only (opaque), read by the watchdog.
   */
  @SuppressWarnings("unused") // through WORK_ITEM_WAITING
  private InterruptObject workItemWaitingForLock;

  private static final VarHandle WORK_ITEM_WAITING;

  static {
    try {
      WORK_ITEM_WAITING =
          MethodHandles.lookup()
              .findVarHandle(DeviceCore.class, "workItemWaitingForLock", InterruptObject.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** A ReentrantLock whose holder the watchdog can name. */
  static final class DeviceLock extends ReentrantLock {
    @Override
    public Thread getOwner() {
      return super.getOwner();
    }
  }
  /**
   * Device-lock acquisitions by driver code on the worker since the last work-item run checked:
   * written and read by the worker only, so that a run whose work item never took the lock checks
   * nothing on the lock's own line, which application threads write.
   */
  private int workerLockAcquires;
  /** Threads waiting in a work-item drain; the worker must not block on the lifecycle lock then. */
  private final AtomicInteger drainsWaiting = new AtomicInteger();
  /**
   * A driver's enable() (true) or disable() (false) that could not wait for the lifecycle lock
   * ({@link #lockLifecycleFromDriver}), by interrupt; a later request of the same interrupt replaces
   * it. The lock's holder applies them before it lets go of the lock ({@link #unlockLifecycle}).
   */
  private final Map<InterruptObject, Boolean> deferredRequests = new ConcurrentHashMap<>();
  private final List<InterruptObject> interrupts = new ArrayList<>();
  private final List<Interrupt> interruptsView = Collections.unmodifiableList(interrupts);
  private final Map<String, InterruptLock> lockGroups = new HashMap<>();
  /** Driver interrupt name → the hardware name its resources are declared under. */
  private final Map<String, String> hardwareNames = new LinkedHashMap<>();

  /** Written under {@link #lifecycleLock}; volatile for {@link #isStarted()}, which takes no lock. */
  private volatile State state = State.NEW;
  private boolean adding;

  /**
   * Per-device runtime settings.
   *
   * @param verifier whether the verifier checks and reports rule violations
   * @param isrBudgetNanos the verifier's ISR time budget
   * @param isrWatchdogNanos the watchdog reports an ISR call running longer (0: off)
   * @param workItemWatchdogNanos the watchdog reports a work-item run lasting longer (0: off)
   * @param enableDisableWatchdogNanos the watchdog reports an enable or disable callback running
   *     longer (0: off)
   */
  public record Settings(
      boolean verifier,
      long isrBudgetNanos,
      long isrWatchdogNanos,
      long workItemWatchdogNanos,
      long enableDisableWatchdogNanos) {
    /** The verifier's default ISR budget: the WDF guideline of 25 µs. */
    public static final long DEFAULT_ISR_BUDGET_NANOS = 25_000;

    /**
     * The watchdog's default for an ISR call: 1 s. A hung ISR holds its dispatcher, and with it
     * every interrupt that dispatcher serves; 1 s is 40,000 times the 25 µs guideline and longer
     * than the pauses a healthy JVM makes (a collection, a safepoint), so what it reports is stuck.
     */
    public static final long DEFAULT_ISR_WATCHDOG_NANOS = TimeUnit.SECONDS.toNanos(1);

    /**
     * The watchdog's default for a work-item run: 10 s. A work item may block on I/O, but it holds
     * the device's worker, every other work item of the device and a stop waiting to drain them;
     * 10 s reports it well before UMDF's 60 s host timeout would give up on that stop.
     */
    public static final long DEFAULT_WORK_ITEM_WATCHDOG_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** The watchdog's default for enable and disable callbacks: UMDF's 60 s PnP/power timeout. */
    public static final long DEFAULT_ENABLE_DISABLE_WATCHDOG_NANOS = TimeUnit.SECONDS.toNanos(60);

    public Settings {
      if (isrWatchdogNanos < 0 || workItemWatchdogNanos < 0 || enableDisableWatchdogNanos < 0) {
        throw new IllegalArgumentException("watchdog thresholds cannot be negative");
      }
    }

    /** Verifier settings with the watchdog's defaults. */
    public Settings(boolean verifier, long isrBudgetNanos) {
      this(
          verifier,
          isrBudgetNanos,
          DEFAULT_ISR_WATCHDOG_NANOS,
          DEFAULT_WORK_ITEM_WATCHDOG_NANOS,
          DEFAULT_ENABLE_DISABLE_WATCHDOG_NANOS);
    }

    /**
     * Verifier as {@code -Dudriver.verifier} says (off when unset), its budget as {@code
     * -Dudriver.verifier.isrBudgetNanos}; watchdog thresholds as {@code
     * -Dudriver.watchdog.isrMillis}, {@code -Dudriver.watchdog.workItemMillis} and {@code
     * -Dudriver.watchdog.enableDisableMillis} say (0 turns one off), else the defaults.
     */
    public static Settings fromSystemProperties() {
      return new Settings(
          Boolean.getBoolean("udriver.verifier"),
          Long.getLong("udriver.verifier.isrBudgetNanos", DEFAULT_ISR_BUDGET_NANOS),
          millisProperty("udriver.watchdog.isrMillis", DEFAULT_ISR_WATCHDOG_NANOS),
          millisProperty("udriver.watchdog.workItemMillis", DEFAULT_WORK_ITEM_WATCHDOG_NANOS),
          millisProperty("udriver.watchdog.enableDisableMillis", DEFAULT_ENABLE_DISABLE_WATCHDOG_NANOS));
    }

    private static long millisProperty(String name, long defaultNanos) {
      Long millis = Long.getLong(name);
      return millis == null ? defaultNanos : TimeUnit.MILLISECONDS.toNanos(Math.max(0, millis));
    }
  }

  public DeviceCore(String name, DeviceHardware hardware, DeviceListener listener, Device view) {
    this(name, hardware, listener, view, WaitStrategies.defaultDispatcherWait());
  }

  /**
   * A device with a dispatcher of its own.
   *
   * @param dispatcherWait how the dispatcher waits when idle: it decides which sources it can
   *     serve directly (a strategy that watches file descriptors serves pollable sources)
   */
  public DeviceCore(
      String name,
      DeviceHardware hardware,
      DeviceListener listener,
      Device view,
      WaitStrategy.Factory dispatcherWait) {
    this(name, hardware, listener, view, null, dispatcherWait, Settings.fromSystemProperties());
  }

  /**
   * @param pool the dispatchers that serve this device's interrupts, shared with other devices;
   *     null for dispatchers of the device's own, ended with it
   * @param dispatcherWait how the device's own dispatchers wait (ignored with a shared pool)
   */
  public DeviceCore(
      String name,
      DeviceHardware hardware,
      DeviceListener listener,
      Device view,
      DispatcherPool pool,
      WaitStrategy.Factory dispatcherWait,
      Settings settings) {
    this.name = Objects.requireNonNull(name, "name");
    this.hardware = Objects.requireNonNull(hardware, "hardware");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.view = Objects.requireNonNull(view, "view");
    this.settings = Objects.requireNonNull(settings, "settings");
    if (pool == null) {
      this.pool =
          new DispatcherPool(
              new DispatcherPool.Settings(
                  "udriver-isr-" + name,
                  1,
                  Objects.requireNonNull(dispatcherWait, "dispatcherWait"),
                  ThreadPinning.platformDefault(),
                  NanoClock.SYSTEM,
                  true,
                  false,
                  listener::warning));
      this.ownsPool = true;
    } else {
      this.pool = pool;
      this.ownsPool = false;
    }
    String workerName = "udriver-work-" + name;
    this.worker =
        new WorkItemRunner(
            workerName,
            ParkWaitStrategy.FACTORY.create(workerName),
            this::workerFailed,
            this.pool.isManual());
    this.deviceIndex = this.pool.attachDevice(worker);
    this.watchdog =
        new CallbackWatchdog(
            this,
            settings.isrWatchdogNanos(),
            settings.workItemWatchdogNanos(),
            settings.enableDisableWatchdogNanos());
  }

  public String name() {
    return name;
  }

  Device view() {
    return view;
  }

  DeviceListener listener() {
    return listener;
  }

  DispatcherPool pool() {
    return pool;
  }

  int deviceIndex() {
    return deviceIndex;
  }

  Settings settings() {
    return settings;
  }

  NanoClock clock() {
    return pool.clock();
  }

  /** Manual mode: runs this device's queued work items on the calling thread. */
  public int runWorkItems() {
    return worker.serveManually();
  }

  /** Whether a work item of this device is queued. */
  public boolean hasQueuedWorkItems() {
    return worker.hasWork();
  }

  WorkItemRunner worker() {
    return worker;
  }

  /** The device's lock, for the framework's own acquisition around serialized work items. */
  ReentrantLock deviceLock() {
    return deviceLock;
  }

  /**
   * Worker: the framework's hold around an automatically serialized work item of {@code
   * interrupt}. A wait for it is published, so that the watchdog blames the holder, not the work
   * item, which has not started.
   */
  void lockForWorkItem(InterruptObject interrupt) {
    if (deviceLock.tryLock()) {
      return;
    }
    WORK_ITEM_WAITING.setOpaque(this, interrupt);
    try {
      deviceLock.lock();
    } finally {
      WORK_ITEM_WAITING.setOpaque(this, (InterruptObject) null);
    }
  }

  /** The interrupt whose work item waits for the device lock now, as far as the watchdog can tell. */
  InterruptObject workItemWaitingForDeviceLock() {
    return (InterruptObject) WORK_ITEM_WAITING.getOpaque(this);
  }

  /** The thread holding the device lock now, or null (diagnostics). */
  Thread deviceLockHolderNow() {
    return deviceLock.getOwner();
  }

  /**
   * The driver's {@link Device#acquireLock()} (and its {@code lock()} and {@code synchronize()}):
   * refuses a recursive acquire, and with the verifier on reports one made under an interrupt lock.
   *
   * @param call what the driver called, for the messages
   */
  public void acquireDeviceLock(String call) {
    if (deviceLock.isHeldByCurrentThread()) {
      DeviceRuleViolation violation =
          new DeviceRuleViolation(
              name,
              VerifierFinding.DEVICE_LOCK_RECURSION,
              call + " on a thread that already holds the device lock (the framework holds it"
                  + " around an automatically serialized work item); it is not recursive, as WDF"
                  + " asserts on a driver's recursive acquire of its callback lock");
      reportInCallback(VerifierFinding.DEVICE_LOCK_RECURSION, violation);
      throw violation;
    }
    if (settings.verifier()) {
      InterruptObject holder = interruptLockHeldByCurrentThread();
      if (holder != null) {
        holder.report(
            VerifierFinding.DEVICE_LOCK_UNDER_INTERRUPT_LOCK,
            holder.callbackOnCurrentThread(),
            call + " of device " + name + " while holding the interrupt lock of " + holder
                + ": it waits for as long as an automatically serialized work item runs (in an ISR,"
                + " every interrupt of its dispatcher waits too), and deadlocks with one that takes"
                + " the interrupt lock",
            new Throwable(call));
      }
    }
    deviceLock.lock();
    if (worker.isWorkerThread()) {
      workerLockAcquires++;
    } else if (!settings.verifier()) {
      // The verifier checks every ISR's return; without it the ISR checks only when told here.
      InterruptObject holder = interruptLockHeldByCurrentThread();
      if (holder != null) {
        holder.deviceLockTakenUnderInterruptLock();
      }
    }
  }

  /** The driver's {@link Device#releaseLock()}: only on the thread that holds it. */
  public void releaseDeviceLock() {
    if (!deviceLock.isHeldByCurrentThread()) {
      DeviceRuleViolation violation =
          new DeviceRuleViolation(
              name,
              VerifierFinding.DEVICE_LOCK_RELEASE_WITHOUT_ACQUIRE,
              "releaseLock() on a thread that does not hold the device lock");
      reportInCallback(VerifierFinding.DEVICE_LOCK_RELEASE_WITHOUT_ACQUIRE, violation);
      throw violation;
    }
    deviceLock.unlock();
  }

  boolean deviceLockHeldByCurrentThread() {
    return deviceLock.isHeldByCurrentThread();
  }

  /**
   * After a callback of {@code ran} that began without the device lock returned on this thread: a
   * hold left behind is released for it and reported. Kept, it would hold back every
   * automatically serialized work item, and every driver thread that takes the lock, for ever.
   */
  void releaseDeviceLockLeftHeld(InterruptObject ran, String callback) {
    if (!deviceLock.isHeldByCurrentThread()) {
      return;
    }
    while (deviceLock.isHeldByCurrentThread()) {
      deviceLock.unlock();
    }
    ran.deviceLockLeftHeld(callback);
  }

  /**
   * Worker, after a work item without automatic serialization: {@link #releaseDeviceLockLeftHeld},
   * only if driver code on the worker took the lock since the last check.
   */
  void releaseDeviceLockLeftHeldByWorkItem(InterruptObject ran) {
    if (workerLockAcquires == 0) {
      return;
    }
    workerLockAcquires = 0;
    releaseDeviceLockLeftHeld(ran, "OnInterruptWorkItem");
  }

  /**
   * A stop or a driver's disable() waits for work items to drain; an automatically serialized one
   * waits for the device lock first. Called holding that lock, it would wait for itself.
   */
  void refuseDrainUnderDeviceLock(String call) {
    if (deviceLock.isHeldByCurrentThread()) {
      throw new DeviceRuleViolation(
          name,
          RULE_DRAIN_UNDER_DEVICE_LOCK,
          call + " while holding the device lock: it waits for work items to finish, and an"
              + " automatically serialized work item waits for that lock");
    }
  }

  /** Verifier: a device-lock misuse inside a callback is also a finding of its interrupt. */
  private void reportInCallback(String rule, DeviceRuleViolation violation) {
    if (!settings.verifier()) {
      return;
    }
    Thread current = Thread.currentThread();
    for (InterruptObject interrupt : interrupts) {
      if (interrupt.runsCallbackOn(current)) {
        interrupt.report(rule, interrupt.callbackOnCurrentThread(), violation.getMessage(), violation);
        return;
      }
    }
  }

  public List<Interrupt> interrupts() {
    return interruptsView;
  }

  /** The interrupt objects in creation order (fixed once a driver was added). */
  List<InterruptObject> interruptObjects() {
    return Collections.unmodifiableList(interrupts);
  }

  /**
   * DeviceAdd: creates the interrupt objects of a driver, one per resource the hardware requests
   * under each interrupt name (at least one, so that an interrupt the hardware lacks still exists,
   * unconnected, as WDF leaves surplus objects).
   */
  public <D> void addDriver(D driver, DriverWiring<D> wiring) {
    Objects.requireNonNull(driver, "driver");
    Objects.requireNonNull(wiring, "wiring");
    lifecycleLock.lock();
    try {
      requireState(State.NEW, "add a driver");
      List<InterruptConfig> configs = wiring.interruptConfigs(driver);
      adding = true;
      try {
        for (InterruptConfig config : configs) {
          if (hardwareNames.containsKey(config.name())) {
            throw new IllegalArgumentException(
                "device " + name + ": driver declares interrupt '" + config.name() + "' twice");
          }
          String hardwareName = resolveHardwareName(config.name(), configs.size());
          hardwareNames.put(config.name(), hardwareName);
          int count = hardwareName == null ? 0 : hardware.requestedInterrupts(hardwareName);
          if (count == 0) {
            listener.warning(
                "device " + name + ": hardware declares no interrupt resource for interrupt '"
                    + config.name() + "'; its object stays unconnected");
          }
          for (int i = 0; i < Math.max(count, 1); i++) {
            createInterrupt(config);
          }
        }
      } finally {
        adding = false;
      }
      for (String declared : hardware.interruptNames()) {
        if (!hardwareNames.containsValue(declared)) {
          listener.warning(
              "device " + name + ": no driver interrupt takes the resources declared as '"
                  + declared + "'; they are ignored");
        }
      }
      state = State.ADDED;
    } finally {
      unlockLifecycle();
    }
  }

  /** The driver's only interrupt ("") takes the hardware's only interrupt name, whatever it is. */
  private String resolveHardwareName(String interruptName, int driverInterrupts) {
    if (hardware.interruptNames().contains(interruptName)) {
      return interruptName;
    }
    if (interruptName.isEmpty() && driverInterrupts == 1 && hardware.interruptNames().size() == 1) {
      return hardware.interruptNames().iterator().next();
    }
    return null;
  }

  /** {@code IWDFDevice3::CreateInterrupt}. */
  public Interrupt createInterrupt(InterruptConfig config) {
    Objects.requireNonNull(config, "config");
    lifecycleLock.lock();
    try {
      if (!adding) {
        throw new IllegalStateException(
            "device " + name + ": interrupts can only be created while a driver is added"
                + " (WDF: OnDeviceAdd), not in state " + state);
      }
      InterruptLock lock =
          config.lockGroup().isEmpty()
              ? new InterruptLock()
              : lockGroups.computeIfAbsent(config.lockGroup(), group -> new InterruptLock());
      InterruptObject interrupt = new InterruptObject(this, config, interrupts.size(), lock);
      interrupts.add(interrupt);
      return interrupt;
    } finally {
      unlockLifecycle();
    }
  }

  /** Prepare hardware, then D0 entry. */
  public void start() {
    // A start that fails disconnects what it connected, draining work items; and waiting for the
    // lifecycle lock under the device lock deadlocks with a stop draining a serialized work item.
    refuseDrainUnderDeviceLock("start()");
    lifecycleLock.lock();
    try {
      if (state != State.ADDED && state != State.STOPPED) {
        throw new IllegalStateException(
            "device " + name + ": cannot start in state " + state
                + (state == State.NEW ? " (add a driver first)" : ""));
      }
      pool.start();
      worker.start();
      watchdog.start(interruptObjects()); // before the first enable callback, which it watches too
      try {
        prepareHardware();
      } catch (Throwable failure) {
        // The host refused resources: give back what was assigned, and stay out of D0 as a start
        // failing in an enable callback does, no longer watched (the pool's watchdog thread ends
        // unless another device of the pool is started).
        try {
          releaseHardware();
        } catch (Throwable releaseFailure) {
          failure.addSuppressed(releaseFailure);
        }
        watchdog.pause();
        throw failure;
      }
      for (int enabledUpTo = 0; enabledUpTo < interrupts.size(); enabledUpTo++) {
        InterruptObject interrupt = interrupts.get(enabledUpTo);
        Throwable failure = interrupt.connect();
        if (failure != null) {
          for (int i = enabledUpTo - 1; i >= 0; i--) {
            interrupts.get(i).disconnect(false);
          }
          releaseHardware();
          state = State.STOPPED;
          watchdog.pause();
          throw new DeviceStartException(interrupt, failure);
        }
      }
      state = State.STARTED;
    } finally {
      unlockLifecycle();
    }
  }

  /** D0 exit, then release hardware. */
  public void stop() {
    leaveD0(false, State.STOPPED);
  }

  /** The device vanished: D0 exit without disable callbacks; it cannot start again. */
  public void surpriseRemove() {
    leaveD0(true, State.REMOVED);
  }

  private void leaveD0(boolean surpriseRemoved, State next) {
    if (state == State.STARTED) {
      // Before the lifecycle lock: another thread's stop may hold it, draining a work item that
      // waits for the device lock this thread holds.
      refuseDrainUnderDeviceLock(surpriseRemoved ? "surpriseRemove()" : "stop()");
    }
    lifecycleLock.lock();
    try {
      if (state != State.STARTED) {
        if (surpriseRemoved && state != State.CLOSED) {
          state = next;
        }
        return;
      }
      refuseDrainUnderDeviceLock(surpriseRemoved ? "surpriseRemove()" : "stop()");
      for (int i = interrupts.size() - 1; i >= 0; i--) {
        interrupts.get(i).disconnect(surpriseRemoved);
      }
      releaseHardware();
      state = next;
      watchdog.pause(); // out of D0: nothing of it to watch until the next start
    } finally {
      unlockLifecycle();
    }
  }

  /** Stops the device if it runs, then its threads. */
  public void close() {
    if (state == State.STARTED) {
      refuseDrainUnderDeviceLock("close()"); // it stops the device first
    }
    lifecycleLock.lock();
    try {
      if (state == State.CLOSED) {
        return;
      }
      stop();
      state = State.CLOSED;
    } finally {
      unlockLifecycle();
    }
    if (ownsPool) {
      pool.close();
    }
    worker.stop();
    pool.detachDevice(worker);
    watchdog.stop(); // waits for a report of this device under way, and a thread left unneeded
  }

  /**
   * Without the lifecycle lock: a thread holding the device lock may ask while a stop holds the
   * lifecycle lock and drains a work item that waits for the device lock.
   */
  public boolean isStarted() {
    return state == State.STARTED;
  }

  private void prepareHardware() {
    Map<String, List<GrantedInterrupt>> grantedByName = new HashMap<>();
    Map<String, Integer> taken = new HashMap<>();
    for (String hardwareName : hardware.interruptNames()) {
      if (hardwareNames.containsValue(hardwareName)) {
        grantedByName.put(hardwareName, hardware.assignInterrupts(hardwareName));
      }
    }
    for (InterruptObject interrupt : interrupts) {
      String hardwareName = hardwareNames.get(interrupt.config().name());
      List<GrantedInterrupt> granted =
          hardwareName == null ? List.of() : grantedByName.getOrDefault(hardwareName, List.of());
      int index = taken.merge(String.valueOf(hardwareName), 1, Integer::sum) - 1;
      interrupt.assignResource(index < granted.size() ? granted.get(index) : null);
    }
  }

  private void releaseHardware() {
    for (int i = interrupts.size() - 1; i >= 0; i--) {
      interrupts.get(i).revokeResource();
    }
    hardware.releaseInterrupts();
  }

  /** Whether the calling thread holds the interrupt lock of any of this device's interrupts. */
  boolean holdsAnyInterruptLock() {
    return interruptLockHeldByCurrentThread() != null;
  }

  /** An interrupt of this device whose lock the calling thread holds, or null. */
  private InterruptObject interruptLockHeldByCurrentThread() {
    for (InterruptObject interrupt : interrupts) {
      if (interrupt.lockHeldByCurrentThread()) {
        return interrupt;
      }
    }
    return null;
  }

  /** The callback an interrupt of this device runs on {@code thread}, or null. */
  String callbackRunningOn(Thread thread) {
    for (InterruptObject interrupt : interrupts) {
      String running = interrupt.callbackRunningOn(thread);
      if (running != null) {
        return running;
      }
    }
    return null;
  }

  /**
   * After a callback of {@code ran} returned on this thread: no lock of another interrupt of the
   * device may still be held by it (its own lock was checked and released already). Each one held
   * is released on the driver's behalf and reported ({@link InterruptObject#lockLeftHeld}): kept,
   * it would block every other user of that lock, and the dispatcher, acquiring it for that
   * interrupt's ISR, would wait for itself.
   */
  void releaseInterruptLocksLeftHeld(InterruptObject ran, String callback) {
    for (InterruptObject interrupt : interrupts) {
      if (interrupt != ran && interrupt.releaseIfHeldByCurrentThread()) {
        ran.lockLeftHeld(callback, interrupt);
      }
    }
  }

  /**
   * A driver's {@code Interrupt.enable()}. When it cannot wait for the lifecycle lock (see {@link
   * #lockLifecycleFromDriver}) it is checked as usual, then deferred: the lock's holder, draining
   * work items for a stop or another interrupt's disable(), connects the interrupt before it lets go
   * of the lock (or, out of D0, leaves it for the next start to connect). It is never dropped.
   */
  void driverEnable(InterruptObject interrupt) {
    refuseReenableAfterStormUnderDeviceLock(interrupt);
    if (!lockLifecycleFromDriver()) {
      interrupt.checkNotEnabled(); // a double enable is reported whether the call waits or not
      if (Boolean.TRUE.equals(deferredRequests.put(interrupt, true))) {
        throw enableAlreadyDeferred(interrupt);
      }
      applyIfHolderLeft();
      return;
    }
    try {
      deferredRequests.remove(interrupt); // this later request replaces one deferred before
      interrupt.checkNotEnabled();
      refuseReenableAfterStormUnderDeviceLock(interrupt);
      enableLocked(interrupt);
    } finally {
      unlockLifecycle();
    }
  }

  /** A second enable() while the first one is deferred: a double enable, reported as one. */
  private static InterruptRuleViolation enableAlreadyDeferred(InterruptObject interrupt) {
    InterruptRuleViolation violation =
        new InterruptRuleViolation(
            interrupt.toString(),
            VerifierFinding.DOUBLE_ENABLE,
            "enable() on an interrupt whose earlier enable() waits to be applied when a drain ends"
                + " (Multiple interrupt connection attempts)");
    if (interrupt.verifierOn()) {
      interrupt.report(
          VerifierFinding.DOUBLE_ENABLE,
          interrupt.callbackOnCurrentThread(),
          violation.getMessage(),
          violation);
    }
    return violation;
  }

  /**
   * Re-enabling after a storm disconnects first, which drains work items (the connect alone does
   * not); on the worker, a serialized work item re-enabling after a storm, the drain does not wait
   * for itself.
   */
  private void refuseReenableAfterStormUnderDeviceLock(InterruptObject interrupt) {
    if (interrupt.isStormDisconnected() && !worker.isWorkerThread()) {
      refuseDrainUnderDeviceLock("enable() of " + interrupt + " after an interrupt storm");
    }
  }

  /** enable() under the lifecycle lock. */
  private void enableLocked(InterruptObject interrupt) {
    interrupt.setForceDisconnected(false);
    if (interrupt.isStormDisconnected()) {
      interrupt.disconnect(false); // the driver re-enables after a storm: a full disable/enable
    }
    if (state == State.STARTED) {
      Throwable failure = interrupt.connect();
      if (failure != null) {
        interrupt.callbackFailed("OnInterruptEnable", failure); // counted and reported
      }
    }
  }

  /**
   * A driver's {@code Interrupt.disable()}; deferred as {@link #driverEnable} is when the worker
   * cannot wait for the lifecycle lock (a thread holding the device lock is refused before).
   */
  void driverDisable(InterruptObject interrupt) {
    if (!lockLifecycleFromDriver()) {
      deferredRequests.put(interrupt, false);
      applyIfHolderLeft();
      return;
    }
    try {
      deferredRequests.remove(interrupt);
      disableLocked(interrupt);
    } finally {
      unlockLifecycle();
    }
  }

  /** disable() under the lifecycle lock. */
  private void disableLocked(InterruptObject interrupt) {
    interrupt.setForceDisconnected(true);
    interrupt.disconnect(false);
  }

  /**
   * A work item that calls enable()/disable() while another thread holds the lifecycle lock and
   * drains work items (a stop, or another interrupt's disable()) must not wait for that lock: the
   * drain waits for the worker. Nor may a thread holding the device lock while the worker waits for
   * that lock (for an automatically serialized work item, or a work item's own acquireLock()): the
   * drain waits for the worker, the worker for this thread. Either waits as long as the holder is
   * doing anything else (a start, an enable(), a drain that does not need the device lock), and
   * gives up only when waiting would deadlock; the caller then defers its request.
   */
  private boolean lockLifecycleFromDriver() {
    boolean onWorker = worker.isWorkerThread();
    if (!onWorker && !deviceLock.isHeldByCurrentThread()) {
      lifecycleLock.lock();
      return true;
    }
    boolean interrupted = false;
    try {
      while (true) {
        try {
          if (lifecycleLock.tryLock(100, TimeUnit.MICROSECONDS)) {
            return true;
          }
        } catch (InterruptedException e) {
          interrupted = true;
        }
        if (drainsWaiting.get() > 0 && (onWorker || workerWaitsForDeviceLock())) {
          return false;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the worker is queued for the device lock now (a drain waiting for it then waits too). */
  private boolean workerWaitsForDeviceLock() {
    Thread serving = worker.servingThread();
    return serving != null && deviceLock.hasQueuedThread(serving);
  }

  /**
   * After a driver's request was left for the lifecycle lock's holder: if the holder let go
   * meanwhile, it may have done so before it saw the request; then this thread takes the lock and
   * applies it.
   */
  private void applyIfHolderLeft() {
    if (lifecycleLock.tryLock()) {
      unlockLifecycle();
    }
  }

  /**
   * Releases the lifecycle lock, applying deferred requests first when this is the outermost hold.
   * A request deferred after that, while this thread still held the lock, found the lock held and
   * left it here: so after the release this thread takes the lock back for it.
   */
  private void unlockLifecycle() {
    if (lifecycleLock.getHoldCount() > 1) {
      lifecycleLock.unlock();
      return;
    }
    do {
      applyDeferredRequests();
      lifecycleLock.unlock();
    } while (hasDeferredRequestsToApply() && relockForDeferredRequests());
  }

  /**
   * A thread that may wait for the lifecycle lock (as {@link #lockLifecycleFromDriver} lets it)
   * waits, so that a request is not left behind to a holder that may not apply it (one holding the
   * device lock cannot drain); the worker and a device-lock holder only try, and a holder that
   * beats them applies it in turn.
   */
  private boolean relockForDeferredRequests() {
    if (!worker.isWorkerThread() && !deviceLock.isHeldByCurrentThread()) {
      lifecycleLock.lock();
      return true;
    }
    return lifecycleLock.tryLock();
  }

  /**
   * Holding the lifecycle lock: applies the deferred requests in creation order. A request that
   * drains work items (a disable, a re-enable after a storm) is left for a later holder when this
   * thread holds the device lock (and is not the worker), as such a thread may not drain.
   */
  private void applyDeferredRequests() {
    if (deferredRequests.isEmpty()) {
      return;
    }
    boolean mayDrain = mayDrainHere();
    for (InterruptObject interrupt : interrupts) {
      Boolean enable = deferredRequests.get(interrupt);
      if (enable == null || !(mayDrain || isEnableWithoutDrain(interrupt, enable))) {
        continue;
      }
      if (!deferredRequests.remove(interrupt, enable)) {
        continue; // replaced by a later request meanwhile: the next round applies that one
      }
      try {
        if (enable) {
          enableLocked(interrupt);
        } else {
          disableLocked(interrupt);
        }
      } catch (Throwable failure) {
        serviceFailed(
            "device " + name + ": deferred " + (enable ? "enable()" : "disable()") + " of "
                + interrupt,
            failure);
      }
    }
  }

  private boolean hasDeferredRequestsToApply() {
    if (deferredRequests.isEmpty()) {
      return false;
    }
    if (mayDrainHere()) {
      return true;
    }
    for (Map.Entry<InterruptObject, Boolean> request : deferredRequests.entrySet()) {
      if (isEnableWithoutDrain(request.getKey(), request.getValue())) {
        return true;
      }
    }
    return false;
  }

  private boolean mayDrainHere() {
    return worker.isWorkerThread() || !deviceLock.isHeldByCurrentThread();
  }

  private static boolean isEnableWithoutDrain(InterruptObject interrupt, boolean enable) {
    return enable && !interrupt.isStormDisconnected();
  }

  /** A thread (holding the lifecycle lock) starts waiting for work items to drain. */
  void drainStarted() {
    drainsWaiting.incrementAndGet();
  }

  void drainEnded() {
    drainsWaiting.decrementAndGet();
  }

  void serviceFailed(String what, Throwable failure) {
    listener.warning(what + ": " + failure);
  }

  private void workerFailed(Throwable failure) {
    listener.warning("device " + name + ": worker recovered from " + failure);
  }

  private void requireState(State expected, String action) {
    if (state != expected) {
      throw new IllegalStateException(
          "device " + name + ": cannot " + action + " in state " + state);
    }
  }
}
