package dev.udriver.runtime.linux;

import static dev.udriver.runtime.linux.LinuxTestSupport.assumeLinux;
import static dev.udriver.runtime.linux.LinuxTestSupport.await;
import static dev.udriver.runtime.linux.LinuxTestSupport.describe;
import static dev.udriver.runtime.linux.LinuxTestSupport.uniqueName;
import static dev.udriver.runtime.linux.LinuxTestSupport.wiring;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.linux.VfioStandIn.IrqSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Interrupt.disable() disarms a VFIO vector at the kernel and enable() arms it again: the
 * {@code VFIO_DEVICE_SET_IRQS} calls, checked against a stand-in that answers them as vfio-pci.
 */
class VfioDisableTest {

  private static final int EVENTFD_TRIGGER =
      VfioHardware.IRQ_SET_DATA_EVENTFD | VfioHardware.IRQ_SET_ACTION_TRIGGER;
  private static final int MASK = VfioHardware.IRQ_SET_DATA_NONE | VfioHardware.IRQ_SET_ACTION_MASK;
  private static final int UNMASK = VfioHardware.IRQ_SET_DATA_NONE | VfioHardware.IRQ_SET_ACTION_UNMASK;
  private static final int MSIX = VfioHardware.Irq.MSIX.index;

  @BeforeEach
  void linuxOnly() {
    assumeLinux();
  }

  @Test
  void disablingAnMsixVectorDetachesItsTriggerAndEnablingAttachesItAgain() throws Exception {
    AtomicLongArray isrCalls = new AtomicLongArray(2);
    InterruptConfig config =
        InterruptConfig.builder(
                "queues",
                (interrupt, id) -> {
                  isrCalls.incrementAndGet(id);
                  return true;
                })
            .build();
    try (VfioStandIn vfio = VfioStandIn.create(VfioHardware.Irq.MSIX, "queues", 2);
        DeviceNode device = DeviceNode.create(uniqueName("vfio"), vfio.hardware())) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      List<IrqSet> atStart = vfio.irqSets();
      assertEquals(1, atStart.size(), atStart::toString);
      IrqSet attached = atStart.getFirst();
      assertEquals(EVENTFD_TRIGGER, attached.flags());
      assertEquals(List.of(MSIX, 0, 2), List.of(attached.index(), attached.start(), attached.count()));
      int vector0Fd = attached.fds().get(0);
      assertTrue(
          (vfio.hardware().pciCommand() & PciCommandRegister.BUS_MASTER) != 0,
          "MSI-X needs bus mastering");
      Interrupt queue0 = device.getInterrupts().get(0);
      Interrupt queue1 = device.getInterrupts().get(1);
      vfio.raise(0);
      await("vector 0 served", () -> isrCalls.get(0) == 1);

      queue0.disable();
      assertEquals(
          new IrqSet(EVENTFD_TRIGGER, MSIX, 0, 1, List.of(-1)),
          vfio.irqSets().getLast(),
          "disable detaches vector 0 alone");
      vfio.raise(0);
      vfio.raise(0);
      vfio.raise(0);
      assertEquals(3, vfio.lostMessages(), "the kernel signals nothing for a detached vector");
      vfio.raise(1); // the other vector stays armed
      await("vector 1 served", () -> isrCalls.get(1) == 1);

      queue0.enable();
      assertEquals(
          new IrqSet(EVENTFD_TRIGGER, MSIX, 0, 1, List.of(vector0Fd)),
          vfio.irqSets().getLast(),
          "enable attaches vector 0's eventfd again");
      vfio.raise(0);
      await("vector 0 served after enable", () -> isrCalls.get(0) == 2);
      assertEquals(3, vfio.lostMessages());
      // Nothing of the disabled period reached the ISR: one signal per delivered message.
      assertEquals(2, queue0.getStatistics().signals(), describe(queue0));
      assertEquals(2, queue0.getStatistics().isrCalls(), describe(queue0));
      assertEquals(1, queue1.getStatistics().signals(), describe(queue1));
      assertEquals(3, vfio.irqSets().size(), "start, disable, enable: " + vfio.irqSets());

      device.stop();
      IrqSet released = vfio.irqSets().getLast();
      assertEquals(
          new IrqSet(VfioHardware.IRQ_SET_DATA_NONE | VfioHardware.IRQ_SET_ACTION_TRIGGER, MSIX, 0, 0, List.of()),
          released,
          "a stop releases the index");
    }
  }

  @Test
  void disablingIntxMasksTheLineAndEnablingUnmasksIt() throws Exception {
    AtomicLong isrCalls = new AtomicLong();
    AtomicLong claimed = new AtomicLong();
    VfioStandIn vfio = VfioStandIn.create(VfioHardware.Irq.INTX, "intx", 1);
    InterruptConfig config =
        InterruptConfig.builder(
                "intx",
                (interrupt, id) -> {
                  isrCalls.incrementAndGet();
                  boolean mine = vfio.intxAsserted();
                  vfio.deassertIntx(); // acknowledge at the device
                  if (mine) {
                    claimed.incrementAndGet();
                  }
                  return mine;
                })
            .build();
    try (vfio;
        DeviceNode device = DeviceNode.create(uniqueName("vfio"), vfio.hardware())) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      Interrupt intx = device.getInterrupts().getFirst();
      List<IrqSet> atStart = vfio.irqSets();
      assertEquals(EVENTFD_TRIGGER, atStart.get(0).flags(), atStart::toString);
      assertEquals(new IrqSet(UNMASK, 0, 0, 1, List.of()), atStart.get(1), atStart::toString);
      vfio.assertIntx();
      await("first ISR", () -> isrCalls.get() == 1);
      await("unmasked after the ISR", () -> !vfio.intxMasked());

      intx.disable();
      assertEquals(new IrqSet(MASK, 0, 0, 1, List.of()), vfio.irqSets().getLast(), "disable masks");
      assertTrue(vfio.intxMasked());
      // Asserted and dropped again while disabled (the device no longer wants service): masked,
      // so nothing is signalled, and enable finds nothing to serve.
      vfio.assertIntx();
      vfio.deassertIntx();
      intx.enable();
      assertEquals(new IrqSet(UNMASK, 0, 0, 1, List.of()), vfio.irqSets().getLast(), "enable unmasks");
      assertFalse(vfio.intxMasked());

      // Asserted while disabled and still asserted at enable: a level line fires on the unmask.
      intx.disable();
      vfio.assertIntx();
      assertTrue(vfio.intxMasked());
      intx.enable();
      await("the asserted line served after enable", () -> isrCalls.get() == 2);
      assertEquals(2, claimed.get(), "no ISR call for the line dropped while disabled");
      await("unmasked after the ISR", () -> !vfio.intxMasked());
      vfio.assertIntx();
      await("third ISR", () -> isrCalls.get() == 3);
      assertEquals(3, intx.getStatistics().signals(), describe(intx));
      assertEquals(0, intx.getStatistics().unclaimed(), describe(intx));
    }
  }
  /**
   * The dispatcher's re-arm after the last ISR may come after the disconnect's mask (a storm, a
   * disable racing the ISR's return): it must not unmask the line again.
   */
  @Test
  void aLateIntxRearmAfterTheDisconnectsMaskDoesNotUnmask() {
    try (VfioStandIn vfio = VfioStandIn.create(VfioHardware.Irq.INTX, "irq", 1)) {
      LinuxInterruptSource source =
          (LinuxInterruptSource) vfio.hardware().assignInterrupts("irq").getFirst().source();
      source.connect(count -> {});
      source.afterIsr(true); // a re-arm while connected unmasks
      assertEquals(UNMASK, vfio.irqSets().getLast().flags());
      source.disconnect();
      assertEquals(MASK, vfio.irqSets().getLast().flags());
      int afterMask = vfio.irqSets().size();
      source.afterIsr(true); // the late re-arm
      assertEquals(afterMask, vfio.irqSets().size(), () -> vfio.irqSets().toString());
      source.connect(count -> {}); // a reconnect arms it again
      assertEquals(UNMASK, vfio.irqSets().getLast().flags());
      source.disconnect();
    }
  }

  @Test
  void aDisarmTheKernelRefusesIsReportedToTheDevicesListener() throws Exception {
    List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.udriver.runtime.DeviceListener listener =
        new dev.udriver.runtime.DeviceListener() {
          @Override
          public void warning(String message) {
            warnings.add(message);
          }
        };
    InterruptConfig config = InterruptConfig.builder("irq", (interrupt, id) -> true).build();
    try (VfioStandIn vfio = VfioStandIn.create(VfioHardware.Irq.INTX, "irq", 1);
        DeviceNode device = DeviceNode.create(uniqueName("vfio"), vfio.hardware(), listener);
        java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
      device.addDriver(new Object(), wiring(config));
      device.start();
      // The index disabled behind the runtime's back: vfio-pci refuses the mask (EINVAL).
      vfio.ioctl(
          dev.udriver.runtime.linux.internal.Ioctl.VFIO_DEVICE_SET_IRQS,
          VfioHardware.encodeIrqSet(
              arena, VfioHardware.IRQ_SET_DATA_NONE | VfioHardware.IRQ_SET_ACTION_TRIGGER,
              VfioHardware.Irq.INTX.index, 0, 0, null),
          "disable");
      Interrupt irq = device.getInterrupts().getFirst();
      irq.disable();
      List<String> disarm = warnings.stream().filter(w -> w.contains("could not disarm")).toList();
      assertEquals(1, disarm.size(), warnings::toString);
      assertTrue(disarm.getFirst().startsWith("interrupt " + irq), disarm.getFirst());
    }
  }
}
