package com.acme;

import dev.udriver.annotation.AffinityPolicy;
import dev.udriver.annotation.InterruptPolicy;
import dev.udriver.annotation.InterruptPriority;
import dev.udriver.annotation.OnInterruptDisable;
import dev.udriver.annotation.OnInterruptEnable;
import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.annotation.ShareVector;
import dev.udriver.runtime.Device;
import dev.udriver.runtime.Interrupt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A UART with a receive, a transmit and a status interrupt; records every callback it gets. */
@InterruptPolicy(
    policy = AffinityPolicy.SPECIFIED_PROCESSORS,
    priority = InterruptPriority.HIGH,
    processors = {0, 2})
public class Uart {
  public final List<String> calls = new ArrayList<>();

  /** What the ISRs answer: a shareable line's ISR must be able to decline. */
  public boolean claimRx = true;

  public boolean claimTx;

  @OnInterruptIsr(value = "rx", shareVector = ShareVector.TRUE, lockGroup = "uart")
  boolean onRx(Interrupt interrupt) {
    calls.add("onRx");
    return claimRx;
  }

  @OnInterruptWorkItem("rx")
  void drainRx() {
    calls.add("drainRx");
  }

  @OnInterruptEnable("rx")
  void enableRx(Interrupt interrupt, Device device) throws IOException {
    calls.add("enableRx");
  }

  @OnInterruptDisable("rx")
  void disableRx(Interrupt interrupt) {
    calls.add("disableRx");
  }

  @InterruptPolicy(priority = InterruptPriority.LOW, group = 1)
  @OnInterruptIsr(value = "tx", automaticSerialization = true, lockGroup = "uart")
  boolean onTx(Interrupt interrupt, int messageId) {
    calls.add("onTx:" + messageId);
    return claimTx;
  }

  @OnInterruptWorkItem("tx")
  void refillTx(Interrupt interrupt, Device associatedObject) {
    calls.add("refillTx");
  }

  @OnInterruptIsr(value = "status-fifo", shareVector = ShareVector.FALSE)
  protected boolean onStatus(Interrupt interrupt) {
    calls.add("onStatus");
    return true;
  }

  @OnInterruptWorkItem("status-fifo")
  public void logStatus(Interrupt interrupt) {
    calls.add("logStatus");
  }
}
