package dev.udriver.processor.writing;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.net.URI;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Name;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;

/**
 * {@link SourceLines} from javac's syntax trees: the compilation unit's file, and a declaration's
 * line from its start position and the unit's line map.
 *
 * <p>A method's line is its return type's: its annotations come first, often on lines of their own.
 * A type's tree starts at its annotations as well and has no child before its name, so its line is
 * the line of its {@code class}, {@code interface}, {@code enum} or {@code record} keyword, found
 * in the source text after the annotations; where the text cannot be read, the tree's start.
 *
 * <p>One driver costs one search of its compilation unit, for the type's tree; its methods are
 * among the type's members, looked up by name.
 *
 * <p>Debug attributes must never cost a driver its wiring: a lookup that fails, in whatever way a
 * compiler's trees may, leaves the attribute out.
 */
public final class TreeSourceLines implements SourceLines {

  /** The largest line a LineNumberTable entry holds (an unsigned 16-bit number). */
  private static final long MAX_LINE = 0xFFFF;

  private static final Set<String> DECLARING_KEYWORDS =
      Set.of("class", "interface", "enum", "record");

  private final Trees trees;

  public TreeSourceLines(Trees trees) {
    this.trees = trees;
  }

  @Override
  public DriverLines of(TypeElement driver, Collection<ExecutableElement> methods) {
    try {
      TreePath typePath = trees.getPath(driver);
      if (typePath == null || !(typePath.getLeaf() instanceof ClassTree)) {
        return DriverLines.UNKNOWN;
      }
      CompilationUnitTree unit = typePath.getCompilationUnit();
      ClassTree type = (ClassTree) typePath.getLeaf();
      Set<Name> names = new HashSet<>();
      for (ExecutableElement method : methods) {
        names.add(method.getSimpleName());
      }
      Map<ExecutableElement, Integer> methodLines = new HashMap<>();
      for (Tree member : type.getMembers()) {
        if (member instanceof MethodTree
            && names.contains(((MethodTree) member).getName())
            && ((MethodTree) member).getReturnType() != null) {
          // The element of a member of a completed type: javac only reads the tree's symbol.
          Element method = trees.getElement(new TreePath(typePath, member));
          if (method instanceof ExecutableElement && methods.contains(method)) {
            methodLines.put(
                (ExecutableElement) method,
                line(unit, start(unit, ((MethodTree) member).getReturnType())));
          }
        }
      }
      return new DriverLines(
          fileName(unit.getSourceFile()), line(unit, keywordPosition(unit, type)), methodLines);
    } catch (RuntimeException e) {
      return DriverLines.UNKNOWN;
    }
  }

  /** The file's last path segment, as javac names it in SourceFile; null when there is none. */
  private static String fileName(JavaFileObject file) {
    if (file == null) {
      return null;
    }
    URI uri = file.toUri();
    String name = uri == null || uri.getPath() == null ? file.getName() : uri.getPath();
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    return name.isEmpty() ? null : name;
  }

  /** The line of a position; 0 for an unknown position or one beyond what a class file holds. */
  private static int line(CompilationUnitTree unit, long position) {
    if (position < 0) {
      return 0;
    }
    long line = unit.getLineMap().getLineNumber(position);
    return line > 0 && line <= MAX_LINE ? (int) line : 0;
  }

  private long start(CompilationUnitTree unit, Tree tree) {
    return trees.getSourcePositions().getStartPosition(unit, tree);
  }

  /** The position of the type's declaring keyword; its tree's start where that is not found. */
  private long keywordPosition(CompilationUnitTree unit, ClassTree type) {
    long start = start(unit, type);
    if (start < 0 || type.getModifiers().getAnnotations().isEmpty()) {
      return start;
    }
    CharSequence content;
    try {
      // javac keeps the content it parsed; true: never report (again) what decoding it found.
      content = unit.getSourceFile().getCharContent(true);
    } catch (IOException | UnsupportedOperationException e) {
      return start;
    }
    if (content == null || start >= content.length()) {
      return start;
    }
    int keyword = declaringKeyword(content.toString(), (int) start);
    return keyword < 0 ? start : keyword;
  }

  /**
   * The position of the first {@code class}, {@code interface}, {@code enum} or {@code record}
   * keyword (or of {@code @interface}) in {@code text} from {@code from} that is neither inside
   * parentheses, a comment or a literal, nor part of an annotation's name; -1 if there is none.
   * From the start of a type's declaration that is its declaring keyword: everything before it is
   * annotations, whose arguments are in parentheses, and modifiers.
   */
  static int declaringKeyword(String text, int from) {
    int depth = 0;
    char previous = 0; // the last character that is neither white space nor in a comment
    int i = from;
    while (i < text.length()) {
      char c = text.charAt(i);
      char next = i + 1 < text.length() ? text.charAt(i + 1) : 0;
      if (c == '/' && next == '/') {
        i = indexOf(text, "\n", i + 2);
        continue;
      }
      if (c == '/' && next == '*') {
        int end = indexOf(text, "*/", i + 2);
        i = end < text.length() ? end + 2 : end;
        continue;
      }
      if (c == '"' || c == '\'') {
        i = afterLiteral(text, i);
        previous = c;
        continue;
      }
      if (Character.isJavaIdentifierStart(c)) {
        int end = i + 1;
        while (end < text.length() && Character.isJavaIdentifierPart(text.charAt(end))) {
          end++;
        }
        if (depth == 0) {
          String word = text.substring(i, end);
          if (previous == '@' && word.equals("interface")) {
            return text.lastIndexOf('@', i);
          }
          if (previous != '@' && previous != '.' && DECLARING_KEYWORDS.contains(word)) {
            return i;
          }
        }
        previous = 'a';
        i = end;
        continue;
      }
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
      }
      if (!Character.isWhitespace(c)) {
        previous = c;
      }
      i++;
    }
    return -1;
  }

  /** The index of {@code part} in {@code text} from {@code from}; the text's length if none. */
  private static int indexOf(String text, String part, int from) {
    int index = text.indexOf(part, from);
    return index < 0 ? text.length() : index;
  }

  /** The index just past the string, text block or character literal starting at {@code start}. */
  private static int afterLiteral(String text, int start) {
    char quote = text.charAt(start);
    boolean textBlock =
        quote == '"'
            && start + 2 < text.length()
            && text.charAt(start + 1) == '"'
            && text.charAt(start + 2) == '"';
    int i = start + (textBlock ? 3 : 1);
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (textBlock) {
        if (c == '"'
            && i + 2 < text.length()
            && text.charAt(i + 1) == '"'
            && text.charAt(i + 2) == '"') {
          return i + 3;
        }
        i++;
      } else if (c == quote || c == '\n') {
        return i + 1;
      } else {
        i++;
      }
    }
    return i;
  }
}
