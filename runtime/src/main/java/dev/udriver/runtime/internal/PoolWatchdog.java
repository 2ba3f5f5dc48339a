package dev.udriver.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The watchdog thread of a {@link DispatcherPool}: one thread for all the devices the pool serves,
 * running while at least one of them is watched (from its start to the end of its next stop) and
 * the pool is open. It runs each watched device's {@link CallbackWatchdog} checks at that device's
 * own period, so thresholds, reports and listeners stay per device; a device whose thresholds are
 * all 0 is never watched and does not keep the thread.
 *
 * <p>The thread is started by the first device to be watched and told to end, without waiting, by
 * the last one to leave (whose caller holds its lifecycle lock, which a listener on this thread may
 * be waiting for); a device's close and the pool's close wait for it to end, except on this thread
 * itself (a listener closing a device from a report), where it ends once the report returns. A
 * thread started while one told to end is still in a device's checks waits for them: each device's
 * checks run under that device's monitor and only while the thread is the pool's current one.
 */
final class PoolWatchdog {

  /** How long the thread sleeps at most; no device's period is longer. */
  private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final String threadName;
  /** The devices watched now; the thread reads it without a lock. */
  private final List<Watched> watched = new CopyOnWriteArrayList<>();
  /** The watchdog thread; its loop ends once this is no longer itself (written under this). */
  private volatile Thread thread;
  /** Threads told to end, for a close to wait for (dead ones are dropped as others retire). */
  private final List<Thread> retired = new ArrayList<>(); // guarded by this
  private boolean closed; // guarded by this

  /** One device while it is watched: a new one at each start. */
  private static final class Watched {
    final CallbackWatchdog device;
    /** Cleared when the device leaves D0: a round already under way for it checks nothing more. */
    volatile boolean active = true;
    /** When its next round is due (System.nanoTime); the watchdog thread's after the first. */
    long nextCheckNanos;

    Watched(CallbackWatchdog device, long nextCheckNanos) {
      this.device = device;
      this.nextCheckNanos = nextCheckNanos;
    }
  }

  PoolWatchdog(String threadName) {
    this.threadName = threadName;
  }

  String threadName() {
    return threadName;
  }

  /**
   * Watches a device as it enters D0, first checked one of its periods from now; starts the thread
   * if none runs. Nothing once the pool is closed.
   */
  synchronized void watch(CallbackWatchdog device) {
    if (closed || indexOf(device) >= 0) {
      return;
    }
    watched.add(new Watched(device, System.nanoTime() + device.periodNanos()));
    Thread running = thread;
    if (running != null) {
      LockSupport.unpark(running); // its sleep may outlast this device's first period
      return;
    }
    Thread started = Thread.ofPlatform().name(threadName).daemon(true).unstarted(this::loop);
    thread = started;
    started.start();
  }

  /**
   * Stops watching a device, without waiting: a round of its checks under way finishes, none
   * begins. The last device to go tells the thread to end.
   */
  synchronized void unwatch(CallbackWatchdog device) {
    int index = indexOf(device);
    if (index < 0) {
      return;
    }
    watched.remove(index).active = false;
    if (watched.isEmpty()) {
      retire();
    }
  }

  /** Whether the thread runs now (tests). */
  boolean isRunning() {
    Thread running = thread;
    return running != null && running.isAlive();
  }

  /**
   * Waits for the threads told to end to end, except the calling one (a listener closing a device
   * from a report: its thread ends once the report returns). The running thread, if other devices
   * are watched, goes on.
   */
  void awaitRetired() {
    List<Thread> ending;
    synchronized (this) {
      ending = List.copyOf(retired);
    }
    Thread current = Thread.currentThread();
    for (Thread stopping : ending) {
      if (stopping != current) {
        LockSupport.unpark(stopping);
        ServiceThread.joinUninterruptibly(stopping);
      }
    }
    synchronized (this) {
      retired.removeIf(stopping -> !stopping.isAlive());
    }
  }

  /** The pool closes: no device is watched any more, and the thread ends (see {@link #awaitRetired}). */
  void close() {
    synchronized (this) {
      closed = true;
      for (Watched entry : watched) {
        entry.active = false;
      }
      watched.clear();
      retire();
    }
    awaitRetired();
  }

  private void retire() { // holding this
    Thread stopping = thread;
    if (stopping == null) {
      return;
    }
    thread = null;
    retired.removeIf(old -> !old.isAlive());
    retired.add(stopping);
    LockSupport.unpark(stopping);
  }

  private int indexOf(CallbackWatchdog device) { // holding this
    for (int i = 0; i < watched.size(); i++) {
      if (watched.get(i).device == device) {
        return i;
      }
    }
    return -1;
  }

  private void loop() {
    Thread self = Thread.currentThread();
    while (thread == self) {
      long sleep = MAX_PARK_NANOS;
      for (Watched entry : watched) {
        if (thread != self) {
          return;
        }
        long untilDue = entry.nextCheckNanos - System.nanoTime();
        if (untilDue <= 0) {
          if (!entry.device.runChecks(() -> entry.active && thread == self)) {
            continue;
          }
          // The next round one period after this one ended, as a slow listener delays it.
          entry.nextCheckNanos = System.nanoTime() + entry.device.periodNanos();
          untilDue = entry.device.periodNanos();
        }
        sleep = Math.min(sleep, untilDue);
      }
      LockSupport.parkNanos(this, sleep);
    }
  }
}
