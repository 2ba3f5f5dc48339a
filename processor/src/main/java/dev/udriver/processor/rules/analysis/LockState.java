package dev.udriver.processor.rules.analysis;

import com.sun.source.tree.Tree;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;

/**
 * The locks (interrupt locks and the device lock, told apart by {@link LockKey#device()}) a method
 * itself holds at one program point on one path (locks the framework holds for a callback are not
 * in it), as an immutable value passed down the analysis: the locks
 * held with the call that took each, the locks whose {@code tryToAcquireInterruptLock()} returned
 * false on this path, and the boolean locals known to carry a try result.
 *
 * @param held each held lock and the call that acquired it
 * @param failedTries locks whose try-acquire returned false on this path and were not taken since
 * @param tryResults boolean locals assigned a try result: true exactly when the lock is held
 */
public record LockState(
    Map<LockKey, Tree> held, Set<LockKey> failedTries, Map<Element, LockKey> tryResults) {

  /** Nothing held: a method's entry. */
  public static final LockState ENTRY = new LockState(Map.of(), Set.of(), Map.of());

  public LockState {
    held = Collections.unmodifiableMap(new LinkedHashMap<>(held));
    failedTries = Collections.unmodifiableSet(new LinkedHashSet<>(failedTries));
    tryResults = Collections.unmodifiableMap(new LinkedHashMap<>(tryResults));
  }

  // Written out rather than left to the record: states are hashed and compared in every set the
  // analysis builds, and the record's generated methods go through method handles, slow until the
  // JIT compiles them again in each compilation that loads the processor afresh.
  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof LockState)) {
      return false;
    }
    LockState that = (LockState) other;
    return held.equals(that.held)
        && failedTries.equals(that.failedTries)
        && tryResults.equals(that.tryResults);
  }

  @Override
  public int hashCode() {
    return (31 * held.hashCode() + failedTries.hashCode()) * 31 + tryResults.hashCode();
  }

  public boolean holds(LockKey key) {
    return held.containsKey(key);
  }

  /** Whether an interrupt lock is held (the device lock does not count). */
  public boolean holdsAny() {
    for (LockKey key : held.keySet()) {
      if (!key.device()) {
        return true;
      }
    }
    return false;
  }

  /** Whether the device lock is held. */
  public boolean holdsDevice() {
    return held.containsKey(LockKey.DEVICE);
  }

  LockState acquire(LockKey key, Tree site) {
    if (held.containsKey(key)) {
      return this;
    }
    Map<LockKey, Tree> h = new LinkedHashMap<>(held);
    h.put(key, site);
    Set<LockKey> f = new LinkedHashSet<>(failedTries);
    f.remove(key);
    return new LockState(h, f, tryResults);
  }

  LockState release(LockKey key) {
    if (!held.containsKey(key) && !tryResults.containsValue(key)) {
      return this;
    }
    Map<LockKey, Tree> h = new LinkedHashMap<>(held);
    h.remove(key);
    Map<Element, LockKey> t = new LinkedHashMap<>(tryResults);
    t.values().removeIf(key::equals);
    return new LockState(h, failedTries, t);
  }

  LockState failedTry(LockKey key) {
    Set<LockKey> f = new LinkedHashSet<>(failedTries);
    f.add(key);
    return new LockState(held, f, tryResults);
  }

  LockState withTryResult(Element variable, LockKey key) {
    Map<Element, LockKey> t = new LinkedHashMap<>(tryResults);
    t.put(variable, key);
    return new LockState(held, failedTries, t);
  }

  LockState forget(Element variable) {
    if (!tryResults.containsKey(variable)) {
      return this;
    }
    Map<Element, LockKey> t = new LinkedHashMap<>(tryResults);
    t.remove(variable);
    return new LockState(held, failedTries, t);
  }
}
