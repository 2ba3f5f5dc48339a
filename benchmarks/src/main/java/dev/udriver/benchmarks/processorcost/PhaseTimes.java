package dev.udriver.benchmarks.processorcost;

import com.sun.source.util.JavacTask;
import com.sun.source.util.TaskEvent;
import com.sun.source.util.TaskListener;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Where one compilation's compiling-thread CPU time goes, from javac's task events: javac's whole
 * annotation-processing step (the rounds, re-entering every tree for the next round, parsing
 * generated sources), the processors' own calls within it (the {@code ANNOTATION_PROCESSING_ROUND}
 * events), and the task listeners that run after javac has analysed a class (udriver's body rules).
 * The last is the time between this listener's own {@code finished(ANALYZE)} call and that of a
 * second listener registered after the processor's: javac calls listeners in the order they were
 * added. Listening costs a little time itself, so {@link ProcessorCost} takes these figures from
 * separate compilations, never from the timed ones.
 */
final class PhaseTimes implements TaskListener {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final JavacTask task;
  private long processingStart;
  private long processing;
  private long roundStart;
  private long rounds;
  private long analysed;
  private long afterAnalysis;
  private boolean tailAdded;

  private PhaseTimes(JavacTask task) {
    this.task = task;
  }

  /** Starts recording the phases of {@code task}, which must not have run yet. */
  static PhaseTimes listen(JavacTask task) {
    PhaseTimes times = new PhaseTimes(task);
    task.addTaskListener(times);
    return times;
  }

  /** Nanoseconds in javac's annotation-processing step, processors included. */
  long processing() {
    return processing;
  }

  /** Nanoseconds in the processors' calls (processing rounds). */
  long rounds() {
    return rounds;
  }

  /** Nanoseconds in listeners after each class's analysis (udriver's body rules). */
  long afterAnalysis() {
    return afterAnalysis;
  }

  @Override
  public void started(TaskEvent event) {
    switch (event.getKind()) {
      case ANNOTATION_PROCESSING -> processingStart = threads.getCurrentThreadCpuTime();
      case ANNOTATION_PROCESSING_ROUND -> roundStart = threads.getCurrentThreadCpuTime();
      case ANALYZE -> {
        if (!tailAdded) {
          // By now every processor has registered its listeners; this one comes after them.
          tailAdded = true;
          task.addTaskListener(new Tail());
        }
      }
      default -> {}
    }
  }

  @Override
  public void finished(TaskEvent event) {
    switch (event.getKind()) {
      case ANNOTATION_PROCESSING ->
          processing += threads.getCurrentThreadCpuTime() - processingStart;
      case ANNOTATION_PROCESSING_ROUND -> rounds += threads.getCurrentThreadCpuTime() - roundStart;
      case ANALYZE -> analysed = threads.getCurrentThreadCpuTime();
      default -> {}
    }
  }

  private final class Tail implements TaskListener {
    @Override
    public void finished(TaskEvent event) {
      if (event.getKind() == TaskEvent.Kind.ANALYZE) {
        afterAnalysis += threads.getCurrentThreadCpuTime() - analysed;
      }
    }
  }
}
