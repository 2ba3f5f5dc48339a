package dev.udriver.processor.rules.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The device lock is one more key in the lock state, kept apart from the interrupt locks. */
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
}
