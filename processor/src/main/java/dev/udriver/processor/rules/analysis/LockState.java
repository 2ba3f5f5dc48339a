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
 * in it, except the device lock of an automatically serialized work item, which the work item may
 * release and take again), as an immutable value passed down the analysis: the locks held with the call that took
 * each, the locks whose {@code tryToAcquireInterruptLock()} returned false on this path, and the
 * boolean locals known to carry a try result.
 *
 * <p>A class rather than a record so that it can keep its hash: states are hashed in every set the
 * analysis builds, almost all of them the entry state, whose three empty maps would otherwise be
 * iterated for each hash.
 */
public final class LockState {

  /** Nothing held: a method's entry. */
  public static final LockState ENTRY = new LockState(Map.of(), Set.of(), Map.of());

  private final Map<LockKey, Tree> held;
  private final Set<LockKey> failedTries;
  private final Map<Element, LockKey> tryResults;
  private final int hash;

  /**
   * @param held each held lock and the call that acquired it
   * @param failedTries locks whose try-acquire returned false on this path and were not taken
   *     since
   * @param tryResults boolean locals assigned a try result: true exactly when the lock is held
   */
  public LockState(
      Map<LockKey, Tree> held, Set<LockKey> failedTries, Map<Element, LockKey> tryResults) {
    this(
        new LinkedHashMap<>(held),
        new LinkedHashSet<>(failedTries),
        new LinkedHashMap<>(tryResults),
        true);
  }

  /** Takes the three collections as they are: the caller made them and keeps no reference. */
  private LockState(
      Map<LockKey, Tree> held,
      Set<LockKey> failedTries,
      Map<Element, LockKey> tryResults,
      boolean owned) {
    this.held = Collections.unmodifiableMap(held);
    this.failedTries = Collections.unmodifiableSet(failedTries);
    this.tryResults = Collections.unmodifiableMap(tryResults);
    this.hash = (31 * held.hashCode() + failedTries.hashCode()) * 31 + tryResults.hashCode();
  }

  /** Each held lock and the call that acquired it. */
  public Map<LockKey, Tree> held() {
    return held;
  }

  /** Locks whose try-acquire returned false on this path and were not taken since. */
  public Set<LockKey> failedTries() {
    return failedTries;
  }

  /** Boolean locals assigned a try result: true exactly when the lock is held. */
  public Map<Element, LockKey> tryResults() {
    return tryResults;
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) {
      return true;
    }
    if (!(other instanceof LockState)) {
      return false;
    }
    LockState that = (LockState) other;
    return hash == that.hash
        && held.equals(that.held)
        && failedTries.equals(that.failedTries)
        && tryResults.equals(that.tryResults);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "LockState[held=" + held + ", failedTries=" + failedTries + ", tryResults="
        + tryResults + "]";
  }

  public boolean holds(LockKey key) {
    return !held.isEmpty() && held.containsKey(key);
  }

  /** Whether an interrupt lock is held (the device lock does not count). */
  public boolean holdsAny() {
    if (held.isEmpty()) {
      return false;
    }
    for (LockKey key : held.keySet()) {
      if (!key.device()) {
        return true;
      }
    }
    return false;
  }

  /** Whether the device lock is held. */
  public boolean holdsDevice() {
    return !held.isEmpty() && held.containsKey(LockKey.DEVICE);
  }

  LockState acquire(LockKey key, Tree site) {
    if (held.containsKey(key)) {
      return this;
    }
    Map<LockKey, Tree> h = new LinkedHashMap<>(held);
    h.put(key, site);
    Set<LockKey> f = new LinkedHashSet<>(failedTries);
    f.remove(key);
    return new LockState(h, f, new LinkedHashMap<>(tryResults), true);
  }

  LockState release(LockKey key) {
    if (!held.containsKey(key) && !tryResults.containsValue(key)) {
      return this;
    }
    Map<LockKey, Tree> h = new LinkedHashMap<>(held);
    h.remove(key);
    Map<Element, LockKey> t = new LinkedHashMap<>(tryResults);
    t.values().removeIf(key::equals);
    return new LockState(h, new LinkedHashSet<>(failedTries), t, true);
  }

  LockState failedTry(LockKey key) {
    Set<LockKey> f = new LinkedHashSet<>(failedTries);
    f.add(key);
    return new LockState(new LinkedHashMap<>(held), f, new LinkedHashMap<>(tryResults), true);
  }

  LockState withTryResult(Element variable, LockKey key) {
    Map<Element, LockKey> t = new LinkedHashMap<>(tryResults);
    t.put(variable, key);
    return new LockState(new LinkedHashMap<>(held), new LinkedHashSet<>(failedTries), t, true);
  }

  LockState forget(Element variable) {
    if (tryResults.isEmpty() || !tryResults.containsKey(variable)) {
      return this;
    }
    Map<Element, LockKey> t = new LinkedHashMap<>(tryResults);
    t.remove(variable);
    return new LockState(new LinkedHashMap<>(held), new LinkedHashSet<>(failedTries), t, true);
  }
}
