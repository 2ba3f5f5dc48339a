package dev.udriver.runtime.linux.internal;

import dev.udriver.runtime.hardware.InterruptSink;
import dev.udriver.runtime.hardware.PollableInterruptSource;
import dev.udriver.runtime.internal.InterruptObject;
import dev.udriver.runtime.internal.WaitStrategy;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * A dispatcher's wait in {@code epoll_wait}, on the descriptors of the pollable sources it serves
 * and on a wake eventfd. A ready source is read ({@link PollableInterruptSource#readSignals()}) and
 * its count signalled to the interrupt on this thread, so the ISR follows with no hand-off.
 *
 * <h2>Wake-up protocol</h2>
 *
 * {@link #state} is {@code AWAKE} while the thread serves and {@code WAITING} from the moment it
 * announces a wait until {@code epoll_wait} returns. A producer pushes its work, then calls {@link
 * #wake()}: only the producer whose CAS moves {@code WAITING → AWAKE} writes the eventfd, so a
 * burst of producers pays one system call and a producer facing an awake thread pays one volatile
 * read. The thread sets {@code WAITING} and then re-checks for work (both sides write one volatile
 * and read the other): either it sees the push, or the producer sees {@code WAITING} and writes.
 * The eventfd is registered {@code EPOLLET} and never read (libuv, libevent, Netty#3396 do the
 * same): each write is one edge, and the counter cannot fill in any realistic run (2^64 - 2).
 * A write that lands after the thread woke for another reason only costs a spurious wake later.
 *
 * <h2>Unregister</h2>
 *
 * An event for a source can already be in the batch {@code epoll_wait} returned when another thread
 * unregisters it. The dispatcher marks {@link #deliveries} odd while it walks a batch and reads
 * each registration's {@code active} flag before touching it; unregister clears {@code active}
 * and, if a walk is under way, waits for it to end. After unregister returns the sink is not
 * called for the source again, and the epoll {@code data} carries a generation so that an event
 * for a freed slot never reaches the slot's next tenant.
 *
 * <h2>Memory and descriptors</h2>
 *
 * The event array lives in a confined arena that the waiting thread opens in {@link #bind} and
 * closes in {@link #close}: nothing is allocated per wake or per interrupt. The epoll and wake
 * descriptors are opened at bind or at the first registration and closed in {@link #close}, which
 * runs after the thread's loop ended, once no {@link #wake()} is writing ({@link #wakers}).
 */
public final class EpollWaitStrategy implements WaitStrategy {

  /** The factory of this strategy. */
  public static final Factory FACTORY = EpollWaitStrategy::new;

  private static final System.Logger LOG = System.getLogger("dev.udriver");
  private static final int MAX_EVENTS = 64;
  private static final long WAKE_DATA = -1L;
  private static final MemorySegment ONE = Arena.global().allocate(ValueLayout.JAVA_LONG);

  static {
    ONE.set(ValueLayout.JAVA_LONG, 0, 1L);
  }

  private static final int AWAKE = 0;
  private static final int WAITING = 1;

  private static final VarHandle STATE;
  private static final VarHandle WAKERS;
  private static final VarHandle DELIVERIES;
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(EpollRegistration[].class);

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(EpollWaitStrategy.class, "state", int.class);
      WAKERS = lookup.findVarHandle(EpollWaitStrategy.class, "wakers", int.class);
      DELIVERIES = lookup.findVarHandle(EpollWaitStrategy.class, "deliveries", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final String name;

  /** AWAKE or WAITING; see the class comment. */
  @SuppressWarnings("unused") // through STATE
  private volatile int state = AWAKE;

  /** Threads inside {@link #wake()} past the state check; close waits for them to leave. */
  @SuppressWarnings("unused") // through WAKERS
  private volatile int wakers;

  /** Odd while the dispatcher walks a batch of ready events. */
  @SuppressWarnings("unused") // through DELIVERIES
  private volatile long deliveries;

  private volatile boolean closed;
  private volatile Thread thread;

  // Opened once (guarded by this).
  private int epfd = -1;
  private volatile int wakeFd = -1;
  private Throwable openFailure;

  // Registrations (guarded by this for writes; slots read by the dispatcher with acquire).
  private volatile EpollRegistration[] slots = new EpollRegistration[8];
  private final Map<PollableInterruptSource, EpollRegistration> bySource = new IdentityHashMap<>();
  private int nextGeneration = 1;

  // The waiting thread's own.
  private Arena arena;
  private MemorySegment events;
  private int epfdForWait = -1;

  public EpollWaitStrategy(String name) {
    this.name = name;
  }

  // ------------------------------------------------------------------ lifecycle

  @Override
  public void bind(Thread serviceThread) {
    thread = serviceThread;
    arena = Arena.ofConfined();
    events = arena.allocate(EpollEvent.SIZE * MAX_EVENTS, 8);
    try {
      epfdForWait = ensureOpen();
    } catch (Throwable failure) {
      LOG.log(Level.ERROR, name + ": cannot open epoll; the dispatcher parks instead", failure);
    }
  }

  private synchronized int ensureOpen() {
    if (closed) {
      throw new IllegalStateException(name + ": the dispatcher's wait is closed");
    }
    if (epfd >= 0) {
      return epfd;
    }
    if (openFailure != null) {
      throw new IllegalStateException(name + ": epoll could not be opened", openFailure);
    }
    int ep = -1;
    int wake = -1;
    try {
      ep = Libc.epollCreate();
      wake = Libc.eventfd(0, Libc.EFD_NONBLOCK | Libc.EFD_CLOEXEC);
      // Edge-triggered: every write is an edge, so the counter never has to be read.
      int errno = Libc.epollCtl(ep, Libc.EPOLL_CTL_ADD, wake, Libc.EPOLLIN | Libc.EPOLLET, WAKE_DATA);
      if (errno != 0) {
        throw new NativeCallException("epoll_ctl(ADD wake eventfd)", errno);
      }
    } catch (RuntimeException | Error failure) {
      Libc.close(wake);
      Libc.close(ep);
      openFailure = failure;
      throw failure;
    }
    epfd = ep;
    wakeFd = wake;
    return ep;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // A wake() that saw the thread waiting may still be about to write the eventfd: the
    // descriptor must outlive it, or the write could hit a file that reuses the number.
    while ((int) WAKERS.getVolatile(this) != 0) {
      Thread.onSpinWait();
    }
    synchronized (this) {
      for (EpollRegistration registration : bySource.values()) {
        registration.deactivate();
        if (registration.source instanceof EpollWatched watched) {
          watched.watchedBy(null);
        }
      }
      bySource.clear();
      Libc.close(wakeFd);
      Libc.close(epfd);
      wakeFd = -1;
      epfd = -1;
    }
    if (arena != null && Thread.currentThread() == thread) {
      arena.close();
      arena = null;
      events = null;
    }
  }

  // ------------------------------------------------------------------ wait and wake

  @Override
  public void await(BooleanSupplier hasWork, long timeoutNanos) {
    int ep = epfdForWait;
    if (ep < 0) {
      ep = epfdAfterLateOpen();
      if (ep < 0) {
        parkInstead(hasWork, timeoutNanos);
        return;
      }
    }
    STATE.setVolatile(this, WAITING);
    if (hasWork.getAsBoolean()) {
      STATE.setVolatile(this, AWAKE);
      return;
    }
    int ready = Libc.epollWait(ep, events, MAX_EVENTS, timeoutMillis(timeoutNanos));
    // From here a producer's wake() is a volatile read. A release store (no fence): this store
    // only spares producers the write. Until it is visible a producer's CAS from WAITING still
    // succeeds and writes the eventfd, which costs one spurious wake; the missed-wake-up argument
    // rests on the WAITING store and the re-check above, both unchanged.
    STATE.setRelease(this, AWAKE);
    if (ready > 0) {
      deliver(ready);
    }
  }

  /** The descriptors may have been opened by a registration after bind failed to; rare. */
  private int epfdAfterLateOpen() {
    synchronized (this) {
      if (epfd >= 0) {
        epfdForWait = epfd;
      }
      return epfd;
    }
  }

  private static void parkInstead(BooleanSupplier hasWork, long timeoutNanos) {
    if (!hasWork.getAsBoolean()) {
      LockSupport.parkNanos(Math.min(timeoutNanos, TimeUnit.MILLISECONDS.toNanos(1)));
    }
  }

  private static int timeoutMillis(long timeoutNanos) {
    if (timeoutNanos <= 0) {
      return 0;
    }
    long millis = (timeoutNanos + 999_999) / 1_000_000;
    return (int) Math.min(millis, Integer.MAX_VALUE);
  }

  private void deliver(int ready) {
    // Only this thread writes the counter. Odd (a walk is under way) with a full fence: unregister
    // clears active and then reads the counter, this thread the other way round (Dekker). Even
    // again with a release store: unregister only waits for it to change.
    long walk = (long) DELIVERIES.getOpaque(this) + 1;
    DELIVERIES.setVolatile(this, walk);
    try {
      EpollRegistration[] table = slots;
      for (int i = 0; i < ready; i++) {
        long data = EpollEvent.data(events, i);
        if (data == WAKE_DATA) {
          continue;
        }
        int slot = (int) data;
        if (slot < 0 || slot >= table.length) {
          table = slots; // registered after this walk began and the table grew
          if (slot < 0 || slot >= table.length) {
            continue;
          }
        }
        EpollRegistration registration = (EpollRegistration) SLOT.getAcquire(table, slot);
        if (registration == null
            || registration.generation != (int) (data >>> 32)
            || !registration.active) {
          continue; // unregistered, possibly while in this batch
        }
        deliverOne(registration, EpollEvent.events(events, i));
      }
    } finally {
      DELIVERIES.setRelease(this, walk + 1);
    }
  }

  private void deliverOne(EpollRegistration registration, int readyEvents) {
    long count;
    try {
      count = registration.source.readSignals();
    } catch (Throwable failure) {
      drop(registration, "its readSignals() failed", failure);
      return;
    }
    if (count > 0) {
      registration.sink.signal(count);
    } else if ((readyEvents & (Libc.EPOLLERR | Libc.EPOLLHUP)) != 0) {
      // Level-triggered: a hung-up descriptor would make every epoll_wait return at once.
      drop(registration, "its descriptor reported an error or hang-up", null);
    }
  }

  private void drop(EpollRegistration registration, String why, Throwable failure) {
    synchronized (this) {
      if (bySource.get(registration.source) == registration) {
        removeLocked(registration);
      }
    }
    if (registration.sink instanceof InterruptObject interrupt) {
      interrupt.sourceDropped(registration.toString(), why, failure); // to the device's listener
      return;
    }
    LOG.log(
        Level.ERROR,
        name + ": stopped watching " + registration + " because " + why
            + "; its interrupt will not fire again until it is reconnected",
        failure);
  }

  @Override
  public void wake() {
    if ((int) STATE.getVolatile(this) != WAITING) {
      return; // awake: it re-checks for work before it waits
    }
    WAKERS.getAndAdd(this, 1);
    try {
      if (!closed && STATE.compareAndSet(this, WAITING, AWAKE)) {
        Libc.writeHot(wakeFd, ONE, 8);
      }
    } finally {
      WAKERS.getAndAdd(this, -1);
    }
  }

  // ------------------------------------------------------------------ registration

  @Override
  public boolean supportsPollableSources() {
    return true;
  }

  @Override
  public synchronized void register(PollableInterruptSource source, InterruptSink sink) {
    int ep = ensureOpen();
    if (bySource.containsKey(source)) {
      throw new IllegalStateException(name + ": source already watched: " + source);
    }
    int fd = source.fd();
    int slot = freeSlot();
    int generation = nextGeneration++;
    EpollRegistration registration = new EpollRegistration(ep, source, sink, fd, slot, generation);
    SLOT.setRelease(slots, slot, registration);
    bySource.put(source, registration);
    int errno = Libc.epollCtl(ep, Libc.EPOLL_CTL_ADD, fd, Libc.EPOLLIN, registration.data());
    if (errno != 0) {
      SLOT.setRelease(slots, slot, null);
      bySource.remove(source);
      throw new NativeCallException("epoll_ctl(ADD fd " + fd + " of " + source + ")", errno);
    }
    if (source instanceof EpollWatched watched) {
      watched.watchedBy(registration);
    }
  }

  private int freeSlot() {
    EpollRegistration[] table = slots;
    for (int i = 0; i < table.length; i++) {
      if (SLOT.getAcquire(table, i) == null) {
        return i;
      }
    }
    EpollRegistration[] grown = java.util.Arrays.copyOf(table, table.length * 2);
    slots = grown;
    return table.length;
  }

  @Override
  public void unregister(PollableInterruptSource source) {
    synchronized (this) {
      EpollRegistration registration = bySource.get(source);
      if (registration == null) {
        return;
      }
      removeLocked(registration);
    }
    if (Thread.currentThread() == thread) {
      return; // the dispatcher itself, between walks
    }
    long walk = (long) DELIVERIES.getVolatile(this);
    if ((walk & 1) != 0) {
      while ((long) DELIVERIES.getVolatile(this) == walk) {
        Thread.onSpinWait(); // a walk is a few reads and sink calls: microseconds
      }
    }
  }

  private void removeLocked(EpollRegistration registration) {
    registration.deactivate(); // volatile write, then the walk counter is read: see unregister
    if (registration.source instanceof EpollWatched watched) {
      watched.watchedBy(null);
    }
    bySource.remove(registration.source);
    SLOT.setRelease(slots, registration.slot, null);
    if (epfd >= 0) {
      Libc.epollCtl(epfd, Libc.EPOLL_CTL_DEL, registration.fd, 0, 0L);
    }
  }

  /** Whether {@code source} is watched now (tests). */
  public synchronized boolean isWatching(PollableInterruptSource source) {
    return bySource.containsKey(source);
  }

  @Override
  public String toString() {
    return "EpollWaitStrategy[" + name + "]";
  }
}
