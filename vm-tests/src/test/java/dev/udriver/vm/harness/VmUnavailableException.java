package dev.udriver.vm.harness;

/**
 * The VM cannot run on this host (no QEMU, no kernel package, no compiler, ...). The message says
 * why and what to install; tests turn it into a skipped test, never into a pass.
 */
public final class VmUnavailableException extends Exception {
    private static final long serialVersionUID = 1L;

    public VmUnavailableException(String reason) {
        super(reason);
    }

    public VmUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
