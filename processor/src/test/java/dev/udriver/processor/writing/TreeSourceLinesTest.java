package dev.udriver.processor.writing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Finding a type's declaring keyword after its annotations, which {@link TreeSourceLines} does to
 * give a driver's class line: nothing in an annotation may pass for the keyword.
 */
class TreeSourceLinesTest {

  /** Where {@code marker} (which the text contains once) starts. */
  private static int at(String text, String marker) {
    assertEquals(text.indexOf(marker), text.lastIndexOf(marker), marker);
    return text.indexOf(marker);
  }

  @Test
  void findsTheKeywordAfterAnnotationsAndModifiers() {
    String text = "@InterruptPolicy(priority = HIGH)\npublic final class Uart {}";
    assertEquals(at(text, "class Uart"), TreeSourceLines.declaringKeyword(text, 0));
  }

  @Test
  void skipsKeywordsInArgumentsLiteralsAndComments() {
    String text =
        "@Doc(value = \"class A\", of = Object.class, c = '(') // class B\n"
            + "/* interface C */ @Block(\"\"\"\n  enum D \"\"\" + \"\\\" record E\")\n"
            + "@a.record @record\n"
            + "final enum Mode { ON }";
    assertEquals(at(text, "enum Mode"), TreeSourceLines.declaringKeyword(text, 0));
  }

  @Test
  void findsRecordsInterfacesAndAnnotationTypes() {
    String record = "@Deprecated record Timer(int period) {}";
    assertEquals(at(record, "record Timer"), TreeSourceLines.declaringKeyword(record, 0));
    String nested = "class Board { @Deprecated static interface Gpio {} }";
    assertEquals(
        at(nested, "interface Gpio"),
        TreeSourceLines.declaringKeyword(nested, at(nested, "@Deprecated")));
    String annotationType = "@Retention(RUNTIME) public @ interface Marker {}";
    assertEquals(
        at(annotationType, "@ interface"), TreeSourceLines.declaringKeyword(annotationType, 0));
  }

  @Test
  void answersMinusOneWithoutAKeyword() {
    assertEquals(-1, TreeSourceLines.declaringKeyword("@Doc(\"class\") /* enum", 0));
    assertEquals(-1, TreeSourceLines.declaringKeyword("@Doc(\"\"\" record", 0));
  }
}
