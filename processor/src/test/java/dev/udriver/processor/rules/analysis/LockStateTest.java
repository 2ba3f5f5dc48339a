package dev.udriver.processor.rules.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.Map;
import javax.lang.model.element.Element;
import org.junit.jupiter.api.Test;

/**
 * The device lock is one more key in the lock state, kept apart from the interrupt locks; flags
 * and try results are what the state knows of boolean locals.
 */
class LockStateTest {

  @Test
  void theDeviceLockIsNotAnInterruptLock() {
    LockState device = LockState.ENTRY.acquire(LockKey.DEVICE, null);
    assertTrue(device.holdsDevice());
    assertFalse(device.holdsAny(), "rules about the interrupt lock must not see the device lock");
    assertFalse(device.holds(LockKey.UNKNOWN));
  }

  @Test
  void bothKindsAreHeldAndReleasedIndependently() {
    LockState both = LockState.ENTRY.acquire(LockKey.UNKNOWN, null).acquire(LockKey.DEVICE, null);
    assertTrue(both.holdsAny());
    assertTrue(both.holdsDevice());
    LockState interruptOnly = both.release(LockKey.DEVICE);
    assertTrue(interruptOnly.holdsAny());
    assertFalse(interruptOnly.holdsDevice());
    assertEquals(LockState.ENTRY, interruptOnly.release(LockKey.UNKNOWN));
  }

  @Test
  void theDeviceKeyDiffersFromTheUnknownInterrupt() {
    assertNotEquals(LockKey.DEVICE, LockKey.UNKNOWN);
    assertNotEquals(LockKey.DEVICE.hashCode(), LockKey.UNKNOWN.hashCode());
    assertEquals("the device", LockKey.DEVICE.display());
  }
  /** A stand-in for a local variable's element: only its identity matters to the state. */
  private static Element local(String name) {
    return (Element)
        Proxy.newProxyInstance(
            LockStateTest.class.getClassLoader(),
            new Class<?>[] {Element.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "equals" -> proxy == args[0];
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "toString" -> name;
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  @Test
  void aTryResultBecomesAKnownValueWhenItsLockChangesHands() {
    Element ok = local("ok");
    LockKey key = LockKey.UNKNOWN;
    LockState released = LockState.ENTRY.acquire(key, null).withTryResult(ok, key).release(key);
    assertEquals(Map.of(), released.tryResults());
    assertEquals(Map.of(ok, true), released.flags(), "the try had succeeded");
    LockState waited = LockState.ENTRY.failedTry(key).withTryResult(ok, key).acquire(key, null);
    assertTrue(waited.holds(key));
    assertEquals(Map.of(ok, false), waited.flags(), "the try had failed; the lock came later");
  }

  @Test
  void aFlagAndATryResultReplaceEachOtherAndForgetClearsBoth() {
    Element locked = local("locked");
    LockKey key = LockKey.UNKNOWN;
    LockState flagged = LockState.ENTRY.withTryResult(locked, key).withFlag(locked, true);
    assertEquals(Map.of(), flagged.tryResults());
    assertEquals(Map.of(locked, true), flagged.flags());
    LockState tried = flagged.withTryResult(locked, key);
    assertEquals(Map.of(), tried.flags());
    assertEquals(Map.of(locked, key), tried.tryResults());
    assertEquals(LockState.ENTRY, flagged.forget(locked));
    assertEquals(LockState.ENTRY, tried.forget(locked));
  }

  @Test
  void statesToldApartOnlyByAFlagMergeWithoutFlags() {
    Element locked = local("locked");
    LockState whenTrue = LockState.ENTRY.withFlag(locked, true);
    LockState whenFalse = LockState.ENTRY.withFlag(locked, false);
    assertNotEquals(whenTrue, whenFalse);
    assertEquals(whenTrue.withoutFlags(), whenFalse.withoutFlags());
    assertEquals(LockState.ENTRY.hashCode(), whenTrue.withoutFlags().hashCode());
    assertTrue(LockState.ENTRY.withoutFlags() == LockState.ENTRY, "nothing to drop, no copy");
  }
}
