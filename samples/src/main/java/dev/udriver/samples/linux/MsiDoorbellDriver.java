package dev.udriver.samples.linux;

import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.runtime.Interrupt;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A software-signalled MSI-style device on eventfds ({@link
 * dev.udriver.runtime.linux.EventFdHardware}): each message is a queue's doorbell. The ISR notes
 * the doorbell under the interrupt lock and queues the work item; the work item takes the noted
 * count under the lock and completes it outside, as a NIC driver completes its queues.
 */
public final class MsiDoorbellDriver {

  /** The interrupt name the hardware declares the messages under. */
  public static final String QUEUES = "queues";

  private final long[] rung; // per message; guarded by each message's interrupt lock
  private final AtomicLongArray completed;

  public MsiDoorbellDriver(int messages) {
    rung = new long[messages];
    completed = new AtomicLongArray(messages);
  }

  @OnInterruptIsr(QUEUES)
  boolean onDoorbell(Interrupt interrupt, int messageId) {
    rung[messageId]++;
    interrupt.queueWorkItemForIsr();
    return true;
  }

  @OnInterruptWorkItem(QUEUES)
  void complete(Interrupt interrupt) {
    int message = interrupt.getInfo().messageNumber();
    long taken;
    try (var held = interrupt.lock()) {
      taken = rung[message];
      rung[message] = 0;
    }
    completed.addAndGet(message, taken);
  }

  /** Doorbell ISR calls completed for {@code message}. */
  public long completed(int message) {
    return completed.get(message);
  }
}
