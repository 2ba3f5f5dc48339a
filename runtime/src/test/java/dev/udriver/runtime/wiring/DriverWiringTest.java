package dev.udriver.runtime.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class DriverWiringTest {

  @Test
  void wiringClassNamesFollowTheBinaryNameFlattened() {
    assertEquals("java.lang.String_Wiring", DriverWiring.wiringClassName(String.class));
    assertEquals(
        "dev.udriver.runtime.wiring.Drivers_Wired_Wiring",
        DriverWiring.wiringClassName(Drivers.Wired.class));
    assertEquals(
        "java.util.Map_Entry_Wiring", DriverWiring.wiringClassName(java.util.Map.Entry.class));
  }

  @Test
  void findsAndInstantiatesTheWiring() {
    DriverWiring<Drivers.Wired> wiring = DriverWiring.forDriverClass(Drivers.Wired.class);
    assertInstanceOf(Drivers_Wired_Wiring.class, wiring);
    assertEquals(1, wiring.interruptConfigs(new Drivers.Wired()).size());
  }

  @Test
  void missingWiringIsAClearIllegalArgumentException() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> DriverWiring.forDriverClass(Drivers.Unwired.class));
    assertTrue(e.getMessage().contains("dev.udriver.runtime.wiring.Drivers_Unwired_Wiring"), e.getMessage());
    assertTrue(e.getMessage().contains(Drivers.Unwired.class.getName()), e.getMessage());
    assertTrue(e.getMessage().contains("udriver-processor"), e.getMessage());
    assertInstanceOf(ClassNotFoundException.class, e.getCause());
  }

  @Test
  @SuppressWarnings("unchecked")
  void aSubclassWithoutAWiringIsToldWhichWiringToUse() {
    Drivers.Wired overriding = new Drivers.Wired() {};
    Class<Drivers.Wired> subclass = (Class<Drivers.Wired>) overriding.getClass();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DriverWiring.forDriverClass(subclass));
    assertTrue(e.getMessage().contains("Its superclass " + Drivers.Wired.class.getName() + " has one"), e.getMessage());
    assertTrue(
        e.getMessage().contains("DriverWiring.forDriverClass(dev.udriver.runtime.wiring.Drivers.Wired.class)"),
        e.getMessage());
    // What the message says works: the superclass's wiring binds the subclass.
    try (DeviceNode device = DeviceNode.create("sub", SimulatedHardware.builder().edge("irq").build())) {
      device.addDriver(overriding, DriverWiring.forDriverClass(Drivers.Wired.class));
      assertEquals(1, device.getInterrupts().size());
    }
  }

  @Test
  void wrongWiringClassesAreClearErrors() {
    IllegalArgumentException notAWiring =
        assertThrows(
            IllegalArgumentException.class,
            () -> DriverWiring.forDriverClass(Drivers.NotAWiring.class));
    assertTrue(notAWiring.getMessage().contains("is not a"), notAWiring.getMessage());
    IllegalArgumentException mismatched =
        assertThrows(
            IllegalArgumentException.class,
            () -> DriverWiring.forDriverClass(Drivers.Mismatched.class));
    assertTrue(mismatched.getMessage().contains("wires " + Drivers.Wired.class.getName()), mismatched.getMessage());
    IllegalArgumentException exploding =
        assertThrows(
            IllegalArgumentException.class,
            () -> DriverWiring.forDriverClass(Drivers.Exploding.class));
    assertInstanceOf(IllegalStateException.class, exploding.getCause());
    assertTrue(exploding.getMessage().contains("failed to initialize"), exploding.getMessage());
  }

  @Test
  void addDriverFindsTheWiringAndTheOnlyInterruptTakesTheOnlyHardwareName() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("irq").build();
    Drivers.Wired driver = new Drivers.Wired();
    try (DeviceNode device = DeviceNode.create("wired", hardware)) {
      device.addDriver(driver);
      device.start();
      hardware.interrupt("irq").fire();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (driver.isrCalls.get() == 0 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(200_000);
      }
      assertEquals(1, driver.isrCalls.get());
    }
  }

  @Test
  void addDriverWithoutWiringFailsBeforeCreatingAnything() {
    SimulatedHardware hardware = SimulatedHardware.builder().edge("irq").build();
    try (DeviceNode device = DeviceNode.create("unwired", hardware)) {
      assertThrows(IllegalArgumentException.class, () -> device.addDriver(new Drivers.Unwired()));
      assertEquals(0, device.getInterrupts().size());
    }
  }
}
