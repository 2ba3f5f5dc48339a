package dev.udriver.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A platform thread that serves interrupt objects handed to it through {@link ServiceStack}s: the
 * dispatcher (ISRs) and the worker (work items) of a device.
 *
 * <p>When idle the thread waits through its {@link WaitStrategy}, which never misses a {@link
 * #wake()} issued after a push; the wait is also bounded, so a bug there costs latency, not a
 * hang.
 *
 * <p>Platform threads, never virtual ones: sources block in native calls that would pin a carrier.
 *
 * <p>Priority: a Java priority, which is all a thread gets on most platforms (HotSpot on Linux
 * ignores it unless started with {@code -XX:ThreadPriorityPolicy=1} as root), and, once {@link
 * #manageNice} gave it the means, a nice value: the one the thread started with (inherited from the
 * thread that started it, normally the process's) plus an offset. The thread applies it itself as
 * it starts, by the id {@code gettid()} returns there; a change while it runs is applied at once by
 * the thread that asks, by that id, so that it takes effect and its failure is known when the
 * request returns, and the serving loop never checks for requests. The id is forgotten before the
 * thread ends: ids are reused, and a late request must not renice another thread.
 */
abstract class ServiceThread {

  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private static final VarHandle MANUAL_SERVER;

  static {
    try {
      MANUAL_SERVER =
          MethodHandles.lookup().findVarHandle(ServiceThread.class, "manualServer", Thread.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String threadName;
  private final WaitStrategy waitStrategy;
  private volatile boolean running;
  private final BooleanSupplier hasWorkOrStopping = () -> !running || hasWork();
  private volatile Thread thread;
  /** Manual mode: no thread; the owner serves by calling {@link #serveManually()}. */
  private final boolean manual;
  /**
   * Manual mode: the thread inside {@link #serveManually()}, which counts as the service thread.
   * Written with release stores, not volatile ones: only that thread can find itself here (the
   * question {@link #isCurrentThread} asks), and it sees its own stores; other threads read it for
   * diagnostics. A volatile store costs a locked instruction, two per {@code serveManually}.
   */
  @SuppressWarnings("unused") // written through MANUAL_SERVER
  private volatile Thread manualServer;
  private volatile int priority = Thread.NORM_PRIORITY;

  private final Object niceLock = new Object();
  /** Null: Java priority only. Guarded by niceLock, like the fields after it. */
  private ThreadPinning niceSetter;
  private Consumer<String> niceReporter;
  /** The running thread's id for {@link ThreadPinning#setNice}; 0 while no thread runs. */
  private int nativeThreadId;
  private int startNice;
  private int appliedNice;
  private int niceOffset;
  /** What asked for the current offset, for reports (an interrupt priority, say). */
  private String niceRequester = "default priority";
  /** The nice value as it is, or why it is not what was asked; for descriptions. */
  private volatile String niceDescription = "nice not managed";

  ServiceThread(String threadName, WaitStrategy waitStrategy) {
    this(threadName, waitStrategy, false);
  }

  ServiceThread(String threadName, WaitStrategy waitStrategy, boolean manual) {
    this.threadName = threadName;
    this.waitStrategy = waitStrategy;
    this.manual = manual;
  }

  final String threadName() {
    return threadName;
  }

  final boolean isManual() {
    return manual;
  }

  /** Called on the service thread once, before it serves anything (pinning, for instance). */
  void onThreadStart() {}

  /**
   * Lets the thread set its nice value through {@code setter} (call before it starts). A failure
   * to set the value as the thread starts is reported to {@code reporter} by that thread, without
   * a lock held, as "thread name (requester, nice n): why"; one while it runs is returned to the
   * caller of {@link #setThreadPriority}.
   */
  final void manageNice(ThreadPinning setter, Consumer<String> reporter) {
    synchronized (niceLock) {
      niceSetter = setter;
      niceReporter = reporter;
      String unavailable = setter.niceUnavailability();
      niceDescription =
          unavailable == null ? "nice not set (no thread)" : "nice not managed: " + unavailable;
    }
  }

  /**
   * Sets the Java priority and the nice value: the nice value the thread started with plus {@code
   * offset}, within -20..19; now if the thread runs, else when it starts (which reports a failure
   * to the {@link #manageNice} reporter).
   *
   * @param requester what asks, named in a failure report
   * @return null, or the report of a failure to set the nice value now, for the caller to report
   *     once it holds no lock
   */
  final String setThreadPriority(int javaPriority, int offset, String requester) {
    priority = javaPriority;
    Thread running = thread;
    if (running != null) {
      running.setPriority(javaPriority);
    }
    String failure;
    synchronized (niceLock) {
      niceOffset = offset;
      niceRequester = requester;
      failure = nativeThreadId == 0 ? null : applyNice();
    }
    return failure;
  }

  final int threadPriority() {
    return priority;
  }

  /** The nice value as it is ("nice -5"), or why it is not the one asked for. */
  final String niceDescription() {
    return niceDescription;
  }

  /** This thread, as it starts: learns its id and nice value, and applies the one asked for. */
  private void startNice() {
    String failure;
    synchronized (niceLock) {
      if (niceSetter == null || niceSetter.niceUnavailability() != null) {
        return;
      }
      nativeThreadId = niceSetter.currentThreadId();
      if (nativeThreadId == 0) {
        return;
      }
      startNice = niceSetter.currentNice();
      appliedNice = startNice;
      niceDescription = "nice " + startNice;
      failure = applyNice();
    }
    report(failure);
  }

  private void endNice() {
    synchronized (niceLock) {
      if (nativeThreadId != 0) {
        nativeThreadId = 0;
        niceDescription = "nice not set (no thread)";
      }
    }
  }

  /** Holding niceLock, with a running thread: applies the offset; returns the failure report. */
  private String applyNice() {
    int target = Math.clamp((long) startNice + niceOffset, -20, 19);
    if (target == appliedNice) {
      niceDescription = "nice " + target;
      return null;
    }
    String failure = niceSetter.setNice(nativeThreadId, target);
    if (failure == null) {
      appliedNice = target;
      niceDescription = "nice " + target;
      return null;
    }
    niceDescription = "nice " + appliedNice + ", not " + target + ": " + failure;
    return threadName + " (" + niceRequester + ", nice " + target + "): " + failure;
  }

  private void report(String failure) {
    Consumer<String> reporter;
    synchronized (niceLock) {
      reporter = niceReporter;
    }
    if (failure != null && reporter != null) {
      reporter.accept(failure);
    }
  }

  /**
   * Manual mode: serves everything available on the calling thread, which is the service thread
   * meanwhile. Returns how many batches were served.
   */
  final int serveManually() {
    Thread previous = (Thread) MANUAL_SERVER.getOpaque(this);
    MANUAL_SERVER.setRelease(this, Thread.currentThread());
    int batches = 0;
    try {
      while (serveContained()) {
        batches++;
      }
    } finally {
      MANUAL_SERVER.setRelease(this, previous);
    }
    return batches;
  }

  final WaitStrategy waitStrategy() {
    return waitStrategy;
  }

  /** Serves what is available now; false when there was nothing to serve. */
  abstract boolean serveAvailable();

  /** Whether anything waits to be served (volatile reads, no side effects). */
  abstract boolean hasWork();

  /** This thread, when {@link #serveAvailable} found nothing and it is about to wait. */
  void beforeAwait() {}

  /** A failure of the runtime itself while serving; the thread reports it and goes on. */
  abstract void serviceFailed(Throwable failure);

  final synchronized void start() {
    if (thread != null || manual) {
      return;
    }
    running = true;
    Thread started = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::loop);
    started.setPriority(priority);
    thread = started;
    started.start();
  }

  /** Stops the thread after it finishes what it is serving, and waits for it. */
  final synchronized void stop() {
    Thread stopping = thread;
    if (stopping == null) {
      return;
    }
    running = false;
    waitStrategy.wake(); // running is false: a thread about to wait sees it and does not
    if (stopping != Thread.currentThread()) {
      joinUninterruptibly(stopping);
    }
    thread = null;
  }

  /** Waits for {@code thread} to end; an interrupt meanwhile is kept for the caller, not obeyed. */
  static void joinUninterruptibly(Thread thread) {
    boolean interrupted = false;
    while (thread.isAlive()) {
      try {
        thread.join();
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Called by producers after a push. */
  final void wake() {
    waitStrategy.wake();
  }


  /** The thread serving now: the service thread, or in manual mode the caller serving; or null. */
  final Thread servingThread() {
    Thread running = thread;
    return running != null ? running : manualServer;
  }

  final boolean isCurrentThread() {
    Thread current = Thread.currentThread();
    return current == thread || current == manualServer;
  }

  private void loop() {
    try {
      try {
        startNice();
      } catch (Throwable failure) {
        serviceFailed(failure);
      }
      try {
        onThreadStart();
      } catch (Throwable failure) {
        serviceFailed(failure);
      }
      waitStrategy.bind(Thread.currentThread());
      try {
        serveUntilStopped();
      } finally {
        waitStrategy.close();
      }
    } finally {
      endNice();
    }
  }

  private void serveUntilStopped() {
    while (running) {
      serveOrAwait();
    }
    // Whatever was handed over before stop() is still served: nothing offered is dropped.
    while (serveContained()) {
      // keep serving
    }
  }

  /**
   * One turn: serves, or waits when there is nothing and then serves what the wake brought. A
   * method of its own because the JIT compiles a method once it has been called often, but a loop
   * that never returns only by on-stack replacement, after tens of thousands of turns (hours for a
   * device that interrupts a few times a second): until then the interpreter would run between
   * every wake-up and its ISR.
   */
  private void serveOrAwait() {
    if (!serveContained()) {
      beforeAwait();
      waitStrategy.await(hasWorkOrStopping, PARK_NANOS);
      serveContained();
    }
  }

  private boolean serveContained() {
    try {
      return serveAvailable();
    } catch (Throwable failure) { // the thread outlives anything but its own stop()
      serviceFailed(failure);
      return true;
    }
  }
}
