package dev.udriver.processor.writing;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
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
 * A type's line is where its declaration starts, its first annotation if it has any: the public
 * trees give no position of its name, and what starts there is rarely in a stack trace (the
 * wiring's constructor and {@code interruptConfigs}).
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
          fileName(unit.getSourceFile()), line(unit, start(unit, type)), methodLines);
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
}
