package dev.udriver.samples;

import dev.udriver.annotation.OnInterruptDisable;
import dev.udriver.annotation.OnInterruptEnable;
import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.runtime.Device;
import dev.udriver.runtime.Interrupt;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A test driver with one MSI interrupt of several messages, compiled through the processor. It
 * records what the runtime does to it; its work item can be held on a gate to make coalescing
 * deterministic.
 */
public class MessageQueuesDriver {

  final List<String> lifecycle = Collections.synchronizedList(new ArrayList<>());
  final List<Integer> isrMessageIds = Collections.synchronizedList(new ArrayList<>());
  final List<Boolean> lockHeldInIsr = Collections.synchronizedList(new ArrayList<>());
  final List<Boolean> queuedByIsr = Collections.synchronizedList(new ArrayList<>());
  final List<Boolean> lockFreeInWorkItem = Collections.synchronizedList(new ArrayList<>());
  final List<Device> workItemDevices = Collections.synchronizedList(new ArrayList<>());
  volatile CountDownLatch workItemGate = new CountDownLatch(0);
  final CountDownLatch workItemStarted = new CountDownLatch(1);

  @OnInterruptIsr("queues")
  boolean onMessage(Interrupt interrupt, int messageId) {
    isrMessageIds.add(messageId);
    // Deliberately a LOCK_RECURSION finding with the verifier on: the try proves the lock is held.
    lockHeldInIsr.add(!interrupt.tryToAcquireInterruptLock());
    queuedByIsr.add(interrupt.queueWorkItemForIsr());
    return true;
  }

  @OnInterruptWorkItem("queues")
  void onWork(Interrupt interrupt, Device associatedObject) {
    workItemStarted.countDown();
    workItemDevices.add(associatedObject);
    boolean acquired = interrupt.tryToAcquireInterruptLock();
    if (acquired) {
      interrupt.releaseInterruptLock();
    }
    lockFreeInWorkItem.add(acquired);
    try {
      if (!workItemGate.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("work item gate never opened");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @OnInterruptEnable("queues")
  void onEnable(Interrupt interrupt, Device device) {
    lifecycle.add("enable#" + interrupt.getInfo().messageNumber());
  }

  @OnInterruptDisable("queues")
  void onDisable(Interrupt interrupt) {
    lifecycle.add("disable#" + interrupt.getInfo().messageNumber());
  }
}
