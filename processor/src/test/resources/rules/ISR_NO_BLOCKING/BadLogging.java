package example;

import dev.udriver.annotation.*;
import dev.udriver.runtime.*;
import java.util.logging.Level;
import java.util.logging.Logger;

class BadLogging {
  private static final Logger LOG = Logger.getLogger(BadLogging.class.getName());
  private int frames;

  @OnInterruptIsr boolean onRx(Interrupt interrupt) {
    frames++;
    // EXPECT: ISR_NO_BLOCKING
    LOG.fine("frame received");
    // EXPECT: ISR_NO_BLOCKING
    LOG.log(Level.FINEST, "frames: {0}", frames);
    if (frames > 1000) {
      // EXPECT: ISR_NO_BLOCKING
      LOG.warning("interrupt storm");
    }
    // EXPECT: ISR_NO_BLOCKING
    return trace();
  }

  private boolean trace() {
    LOG.info(() -> "frames: " + frames);
    return true;
  }
}
