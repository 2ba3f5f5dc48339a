package com.acme;

import dev.udriver.annotation.OnInterruptDisable;
import dev.udriver.annotation.OnInterruptEnable;
import dev.udriver.annotation.OnInterruptIsr;
import dev.udriver.annotation.OnInterruptWorkItem;
import dev.udriver.runtime.Device;
import dev.udriver.runtime.Interrupt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A button with one interrupt; records every callback it gets. */
public class Button {
  public final List<String> calls = new ArrayList<>();

  @OnInterruptIsr("press")
  boolean onPress(Interrupt interrupt, int messageId) {
    calls.add("onPress:" + messageId);
    return true;
  }

  @OnInterruptWorkItem("press")
  void report(Interrupt interrupt, Device associatedObject) {
    calls.add("report");
  }

  @OnInterruptEnable("press")
  void arm(Interrupt interrupt, Device device) throws IOException {
    calls.add("arm");
  }

  @OnInterruptDisable("press")
  void disarm(Interrupt interrupt) {
    calls.add("disarm");
  }
}
