package dev.udriver.processor.writing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;

/**
 * Names in generated code. The wiring class name follows {@code DriverWiring}'s convention, which
 * the runtime relies on to find it: {@code com.acme.Board.Uart} is wired by {@code
 * com.acme.Board_Uart_Wiring}.
 */
public final class WiringNames {

  /** Suffix of wiring class names, as {@code DriverWiring.CLASS_NAME_SUFFIX} in the runtime. */
  static final String WIRING_SUFFIX = "_Wiring";

  private static final String CALLBACKS_SUFFIX = "Callbacks";

  private WiringNames() {}

  /** The package of {@code type}; {@code ""} for the unnamed package. */
  public static String packageName(TypeElement type) {
    Element element = type;
    while (!(element instanceof PackageElement)) {
      element = element.getEnclosingElement();
    }
    return ((PackageElement) element).getQualifiedName().toString();
  }

  /** The outermost type around {@code type}, itself when top-level. */
  public static TypeElement topLevelType(TypeElement type) {
    TypeElement topLevel = type;
    while (topLevel.getEnclosingElement() instanceof TypeElement) {
      topLevel = (TypeElement) topLevel.getEnclosingElement();
    }
    return topLevel;
  }

  /** The simple name of the wiring of {@code driver}, e.g. {@code Board_Uart_Wiring}. */
  public static String wiringSimpleName(TypeElement driver) {
    Deque<String> names = new ArrayDeque<>();
    for (Element element = driver;
        element instanceof TypeElement;
        element = element.getEnclosingElement()) {
      names.addFirst(element.getSimpleName().toString());
    }
    return String.join("_", names) + WIRING_SUFFIX;
  }

  /** The qualified name of the wiring of {@code driver}. */
  public static String wiringQualifiedName(TypeElement driver) {
    String packageName = packageName(driver);
    String simpleName = wiringSimpleName(driver);
    return packageName.isEmpty() ? simpleName : packageName + "." + simpleName;
  }

  /**
   * A distinct nested class name per interrupt name, in the given order: {@code "rx"} gives {@code
   * RxCallbacks}, {@code "rx-fifo"} {@code RxFifoCallbacks}, {@code ""} {@code Callbacks}; a name
   * that starts with a digit gets the prefix {@code Interrupt}, and a clash a numeric suffix.
   */
  static Map<String, String> callbacksClassNames(List<String> interruptNames) {
    Map<String, String> classNames = new LinkedHashMap<>();
    Set<String> taken = new HashSet<>();
    for (String interruptName : interruptNames) {
      String base = upperCamel(interruptName) + CALLBACKS_SUFFIX;
      String candidate = base;
      for (int suffix = 2; !taken.add(candidate); suffix++) {
        candidate = base + suffix;
      }
      classNames.put(interruptName, candidate);
    }
    return classNames;
  }

  /** {@code RxCallbacks} becomes {@code rxCallbacks}. */
  static String lowerCamel(String upperCamel) {
    return upperCamel.substring(0, 1).toLowerCase(Locale.ROOT) + upperCamel.substring(1);
  }

  private static String upperCamel(String interruptName) {
    StringBuilder result = new StringBuilder();
    boolean startOfWord = true;
    for (int i = 0; i < interruptName.length(); i++) {
      char c = interruptName.charAt(i);
      if (!Character.isJavaIdentifierPart(c) || c == '_' || c == '$') {
        startOfWord = true;
      } else if (startOfWord) {
        result.append(Character.toUpperCase(c));
        startOfWord = false;
      } else {
        result.append(c);
      }
    }
    if (result.length() > 0 && !Character.isJavaIdentifierStart(result.charAt(0))) {
      result.insert(0, "Interrupt");
    }
    return result.toString();
  }
}
