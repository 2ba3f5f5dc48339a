package dev.udriver.processor.rules.decl;

import dev.udriver.processor.model.DriverModel;
import dev.udriver.processor.model.PolicyModel;
import java.util.ArrayList;
import java.util.List;

/** Every {@code @InterruptPolicy} of a driver: the class's first, then its methods'. */
final class Policies {

  private Policies() {}

  static List<PolicyModel> of(DriverModel model) {
    List<PolicyModel> all = new ArrayList<>();
    model.classPolicy().ifPresent(all::add);
    all.addAll(model.methodPolicies());
    return all;
  }
}
