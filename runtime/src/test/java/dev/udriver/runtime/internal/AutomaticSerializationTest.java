package dev.udriver.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.sim.SimulatedHardware;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The work item runs under the device's callback lock exactly when automatic serialization is set. */
class AutomaticSerializationTest {

  @Test
  void workItemHoldsTheDeviceCallbackLockOnlyWithAutomaticSerialization() throws Exception {
    Map<String, Boolean> heldIn = new ConcurrentHashMap<>();
    CountDownLatch done = new CountDownLatch(2);
    InterruptConfig.Isr queue =
        (interrupt, id) -> {
          interrupt.queueWorkItemForIsr();
          return true;
        };
    InterruptConfig.WorkItem record =
        (interrupt, device) -> {
          heldIn.put(
              interrupt.getName(),
              ((InterruptObject) interrupt).deviceCallbackLockHeldByCurrentThread());
          done.countDown();
        };
    List<InterruptConfig> configs =
        List.of(
            InterruptConfig.builder("serialized", queue).workItem(record).automaticSerialization(true).build(),
            InterruptConfig.builder("free", queue).workItem(record).build());
    SimulatedHardware hardware = SimulatedHardware.builder().edge("serialized").edge("free").build();
    try (DeviceNode device = DeviceNode.create("autoser", hardware)) {
      device.addDriver(
          new Object(),
          new DriverWiring<Object>() {
            @Override
            public Class<Object> driverType() {
              return Object.class;
            }

            @Override
            public List<InterruptConfig> interruptConfigs(Object driver) {
              return configs;
            }
          });
      device.start();
      hardware.interrupt("serialized").fire();
      hardware.interrupt("free").fire();
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals(Map.of("serialized", true, "free", false), heldIn);
    }
  }
}
