package dev.udriver.runtime.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.hardware.GrantedInterrupt;
import dev.udriver.runtime.hardware.InterruptResource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimulatedHardwareTest {

  private final SimulatedHardware hardware =
      SimulatedHardware.builder()
          .edge("e")
          .level("l")
          .sharedLevel("s")
          .msi("m", 8, 2)
          .ungrantedEdge("u")
          .build();

  @Test
  void declaresNamesInOrderWithRequestedCounts() {
    assertEquals(List.of("e", "l", "s", "m", "u"), List.copyOf(hardware.interruptNames()));
    assertEquals(1, hardware.requestedInterrupts("e"));
    assertEquals(8, hardware.requestedInterrupts("m"));
    assertEquals(1, hardware.requestedInterrupts("u"));
    assertEquals(0, hardware.requestedInterrupts("nope"));
    assertEquals(List.of(), hardware.assignInterrupts("nope"));
  }

  @Test
  void grantsTheRightResourceKinds() {
    InterruptResource.Line edge =
        assertInstanceOf(InterruptResource.Line.class, hardware.assignInterrupts("e").get(0).resource());
    assertEquals(InterruptResource.Trigger.EDGE, edge.trigger());
    assertFalse(edge.shareable());
    InterruptResource.Line shared =
        assertInstanceOf(InterruptResource.Line.class, hardware.assignInterrupts("s").get(0).resource());
    assertEquals(InterruptResource.Trigger.LEVEL, shared.trigger());
    assertTrue(shared.shareable());
    List<GrantedInterrupt> messages = hardware.assignInterrupts("m");
    assertEquals(2, messages.size(), "the bus grants 2 of 8");
    int base = messages.get(0).resource().vector();
    assertEquals(base + 1, messages.get(1).resource().vector());
    assertInstanceOf(InterruptResource.Message.class, messages.get(1).resource());
    assertEquals(List.of(), hardware.assignInterrupts("u"));
    Set<Integer> vectors =
        Set.of(edge.vector(), hardware.assignInterrupts("l").get(0).resource().vector(), shared.vector(), base);
    assertEquals(4, vectors.size(), "vectors of different names collide");
  }

  @Test
  void unknownNameIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> hardware.interrupt("nope"));
    assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("[e, l, s, m, u]"), e.getMessage());
  }

  @Test
  void firingALevelLineIsRefused() {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> hardware.interrupt("l").fire());
    assertTrue(e.getMessage().contains("assertLine"), e.getMessage());
    assertThrows(IllegalStateException.class, () -> hardware.interrupt("s").fire(0));
  }

  @Test
  void assertingAnEdgeOrMsiIsRefused() {
    assertThrows(IllegalStateException.class, () -> hardware.interrupt("e").assertLine());
    assertThrows(IllegalStateException.class, () -> hardware.interrupt("m").deassertLine());
  }

  @Test
  void messageOutOfRangeIsRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> hardware.interrupt("m").fire(8));
    assertTrue(e.getMessage().contains("0..7"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> hardware.interrupt("m").fire(-1));
    assertThrows(IllegalArgumentException.class, () -> hardware.interrupt("e").fire(1));
  }

  @Test
  void signalsWithoutAConnectedSinkAreLostAndCounted() {
    hardware.interrupt("e").fire();
    hardware.interrupt("m").fire(7); // requested but never granted
    assertEquals(1, hardware.interrupt("e").lostSignals());
    assertEquals(1, hardware.interrupt("m").lostSignals());
    assertFalse(hardware.interrupt("e").isConnected());
  }

  @Test
  void connectedSourceDeliversAndLevelLineAssertedAtConnectSignalsAtOnce() {
    AtomicLong delivered = new AtomicLong();
    GrantedInterrupt edge = hardware.assignInterrupts("e").get(0);
    edge.source().connect(delivered::addAndGet);
    assertTrue(hardware.interrupt("e").isConnected());
    hardware.interrupt("e").fire();
    hardware.interrupt("e").fire();
    assertEquals(2, delivered.get());
    edge.source().afterIsr(false);
    assertEquals(2, delivered.get(), "an edge source re-fires after an unclaimed ISR");
    edge.source().disconnect();
    hardware.interrupt("e").fire();
    assertEquals(2, delivered.get());
    assertEquals(1, hardware.interrupt("e").lostSignals());

    AtomicLong level = new AtomicLong();
    hardware.interrupt("l").assertLine(); // lost: not connected
    GrantedInterrupt line = hardware.assignInterrupts("l").get(0);
    line.source().connect(level::addAndGet);
    assertEquals(1, level.get(), "an asserted level line interrupts when connected");
    line.source().afterIsr(true);
    assertEquals(2, level.get(), "still asserted after the ISR: interrupts again");
    hardware.interrupt("l").deassertLine();
    line.source().afterIsr(true);
    assertEquals(2, level.get());
  }

  @Test
  void builderRefusesDuplicatesAndImpossibleCounts() {
    assertThrows(
        IllegalArgumentException.class, () -> SimulatedHardware.builder().edge("x").level("x"));
    assertThrows(IllegalArgumentException.class, () -> SimulatedHardware.builder().msi("x", 0));
    assertThrows(IllegalArgumentException.class, () -> SimulatedHardware.builder().msi("x", 2, 3));
    assertThrows(IllegalArgumentException.class, () -> SimulatedHardware.builder().msi("x", 2, -1));
  }
}
