package dev.udriver.processor.writing;

import dev.udriver.processor.model.CallbackMethod;
import dev.udriver.processor.model.CallbackRole;
import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.InterruptModel;
import java.util.ArrayList;
import java.util.List;

/**
 * What both wiring forms share: the order of an interrupt's callbacks and the message for a null
 * driver. Kept apart from the generators so that each form loads only its own generator and
 * library (JavaPoet for the source form, ASM for the class form).
 */
final class WiringLayout {

  private WiringLayout() {}

  /** The message of the {@code NullPointerException} for a null driver; both forms use it. */
  static String nullDriverMessage(DriverModel model) {
    return "driver: pass the " + model.simpleName() + " instance to wire";
  }

  /** The interrupt's callbacks in role order: ISR, work item, enable, disable. */
  static List<CallbackMethod> inRoleOrder(InterruptModel interrupt) {
    List<CallbackMethod> ordered = new ArrayList<>();
    for (CallbackRole role : CallbackRole.values()) {
      interrupt.callback(role).ifPresent(ordered::add);
    }
    return ordered;
  }
}
