package dev.udriver.processor.rules.analysis;

import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * Looks up the JDK types the analysis compares with in {@code java.base}, where they all live.
 * Javac's {@code getTypeElement(name)} looks for the name in every module of the platform in turn,
 * once per name and compilation; where there are no modules (source levels before 9) it is the
 * only lookup there is.
 */
public final class JavaBase {

  private JavaBase() {}

  /** The {@code java.base} type of that canonical name, or null. */
  public static TypeElement type(Elements elements, String name) {
    ModuleElement javaBase = elements.getModuleElement("java.base");
    return javaBase == null
        ? elements.getTypeElement(name)
        : elements.getTypeElement(javaBase, name);
  }
}
