package dev.udriver.runtime.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A platform thread that serves interrupt objects handed to it through {@link ServiceStack}s: the
 * dispatcher (ISRs) and the worker (work items) of a device.
 *
 * <p>Wake-up protocol: before parking the thread sets {@link #waiting} and re-checks its stacks;
 * a producer, after its push, unparks the thread only if {@code waiting} is set. Both sides write
 * one volatile and then read the other, so a push is never missed; the park is also bounded, so a
 * bug here costs latency, not a hang.
 *
 * <p>Platform threads, never virtual ones: sources block in native calls that would pin a carrier.
 */
abstract class ServiceThread {

  private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final String threadName;
  private volatile boolean waiting;
  private volatile boolean running;
  private volatile Thread thread;

  ServiceThread(String threadName) {
    this.threadName = threadName;
  }

  /** Serves what is available now; false when there was nothing to serve. */
  abstract boolean serveAvailable();

  /** Whether anything waits to be served (volatile reads). */
  abstract boolean hasWork();

  /** A failure of the runtime itself while serving; the thread reports it and goes on. */
  abstract void serviceFailed(Throwable failure);

  final synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    Thread started = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::loop);
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
    LockSupport.unpark(stopping);
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
    if (waiting) {
      Thread sleeper = thread;
      if (sleeper != null) {
        LockSupport.unpark(sleeper);
      }
    }
  }

  final boolean isCurrentThread() {
    return Thread.currentThread() == thread;
  }

  private void loop() {
    while (running) {
      if (!serveContained()) {
        waiting = true;
        if (running && !hasWork()) {
          LockSupport.parkNanos(this, PARK_NANOS);
        }
        waiting = false;
      }
    }
    // Whatever was handed over before stop() is still served: nothing offered is dropped.
    while (serveContained()) {
      // keep serving
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
