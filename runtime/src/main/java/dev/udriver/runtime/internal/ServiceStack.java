package dev.udriver.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A multi-producer, single-consumer hand-off of interrupt objects, without allocation: each object
 * links itself through a field of its own ({@link Link}), so it may be in one stack at most once.
 * Callers guarantee that: an object is offered only on its idle → pending transition.
 *
 * <p>Producers push onto a Treiber stack; the consumer takes the whole stack at once and gets it
 * oldest first.
 */
final class ServiceStack {

  /** The field an object is linked through: the dispatcher and the worker use different ones. */
  interface Link {
    InterruptObject next(InterruptObject node);

    void setNext(InterruptObject node, InterruptObject next);
  }

  private static final VarHandle HEAD;

  static {
    try {
      HEAD =
          MethodHandles.lookup().findVarHandle(ServiceStack.class, "head", InterruptObject.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Link link;
  @SuppressWarnings("unused") // accessed through HEAD
  private volatile InterruptObject head;

  ServiceStack(Link link) {
    this.link = link;
  }

  /** Adds {@code node}. Any thread. The CAS is a full fence: a later volatile read stays after it. */
  void push(InterruptObject node) {
    pushChain(node, node);
  }

  /**
   * Adds a chain of nodes at once, {@code newest} first, linked through {@link Link} down to {@code
   * oldest}: one CAS for the whole chain. Any thread; the chain must be its own until this returns.
   */
  void pushChain(InterruptObject newest, InterruptObject oldest) {
    InterruptObject current;
    do {
      current = (InterruptObject) HEAD.getVolatile(this);
      link.setNext(oldest, current);
    } while (!HEAD.compareAndSet(this, current, newest));
  }

  /** Takes everything pushed so far, oldest first, linked through {@link Link}; null when empty. */
  InterruptObject takeAll() {
    if (HEAD.getAcquire(this) == null) { // a read first: cheaper than an exchange when idle
      return null;
    }
    InterruptObject newestFirst = (InterruptObject) HEAD.getAndSet(this, null);
    InterruptObject oldestFirst = null;
    while (newestFirst != null) {
      InterruptObject next = link.next(newestFirst);
      link.setNext(newestFirst, oldestFirst);
      oldestFirst = newestFirst;
      newestFirst = next;
    }
    return oldestFirst;
  }

  /** Volatile read: ordered after a preceding volatile write of the consumer's waiting flag. */
  boolean isEmpty() {
    return HEAD.getVolatile(this) == null;
  }
}
