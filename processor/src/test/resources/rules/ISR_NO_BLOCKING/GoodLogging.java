package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.logging.Level;
import java.util.logging.Logger;

class GoodLogging {
  private static final Logger LOG = Logger.getLogger(GoodLogging.class.getName());
  private volatile int frames;
  private volatile boolean storm;

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    // Only a flag for the work item; isLoggable runs no handler.
    frames++;
    storm = frames > 1000 && LOG.isLoggable(Level.WARNING);
    return interrupt.queueWorkItemForIsr();
  }

  @OnInterruptWorkItem void report() {
    if (storm) {
      LOG.warning("interrupt storm"); // the work item may log
    }
  }
}
