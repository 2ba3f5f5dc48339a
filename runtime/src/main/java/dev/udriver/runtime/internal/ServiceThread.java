package dev.udriver.runtime.internal;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A platform thread that serves interrupt objects handed to it through {@link ServiceStack}s: the
 * dispatcher (ISRs) and the worker (work items) of a device.
 *
 * <p>When idle the thread waits through its {@link WaitStrategy}, which never misses a {@link
 * #wake()} issued after a push; the wait is also bounded, so a bug there costs latency, not a
 * hang.
 *
 * <p>Platform threads, never virtual ones: sources block in native calls that would pin a carrier.
 */
abstract class ServiceThread {

  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final String threadName;
  private final WaitStrategy waitStrategy;
  private volatile boolean running;
  private final BooleanSupplier hasWorkOrStopping = () -> !running || hasWork();
  private volatile Thread thread;
  /** Manual mode: no thread; the owner serves by calling {@link #serveManually()}. */
  private final boolean manual;
  /** Manual mode: the thread inside {@link #serveManually()}, which counts as the service thread. */
  private volatile Thread manualServer;
  private volatile int priority = Thread.NORM_PRIORITY;

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

  /** Sets the Java priority of the thread, now if it runs, else when it starts. */
  final void setThreadPriority(int newPriority) {
    priority = newPriority;
    Thread running = thread;
    if (running != null) {
      running.setPriority(newPriority);
    }
  }

  final int threadPriority() {
    return priority;
  }

  /**
   * Manual mode: serves everything available on the calling thread, which is the service thread
   * meanwhile. Returns how many batches were served.
   */
  final int serveManually() {
    Thread previous = manualServer;
    manualServer = Thread.currentThread();
    int batches = 0;
    try {
      while (serveContained()) {
        batches++;
      }
    } finally {
      manualServer = previous;
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
      boolean interrupted = false;
      while (stopping.isAlive()) {
        try {
          stopping.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    thread = null;
  }

  /** Called by producers after a push. */
  final void wake() {
    waitStrategy.wake();
  }


  final boolean isCurrentThread() {
    Thread current = Thread.currentThread();
    return current == thread || current == manualServer;
  }

  private void loop() {
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
