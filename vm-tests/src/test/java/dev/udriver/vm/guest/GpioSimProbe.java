package dev.udriver.vm.guest;

import dev.udriver.runtime.DeviceNode;
import dev.udriver.runtime.DriverWiring;
import dev.udriver.runtime.Interrupt;
import dev.udriver.runtime.InterruptConfig;
import dev.udriver.runtime.InterruptStatistics;
import dev.udriver.runtime.linux.GpioHardware;
import dev.udriver.runtime.linux.GpioLineEvents;
import dev.udriver.runtime.linux.LinuxInterfaceException;
import dev.udriver.samples.linux.GpioButtonDriver;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * udriver's GPIO source on a real kernel GPIO chip: gpio-sim in the guest, its lines driven by
 * writing {@code pull-up}/{@code pull-down} to {@code sim_gpioK/pull} in sysfs, which the kernel
 * turns into edge interrupts through the GPIO character device (uAPI v2) like a real pin's.
 *
 * <p>Arguments: {@code CHIP SYSFS LINE TOGGLES EVENT_BUFFER BURSTS BOUNCES BOUNCE_DEBOUNCE_MS QUIET_MS}.
 * Prints one {@code RESULT} line a test:
 * <ul>
 *   <li>{@code gpio-both}: both edges, no debounce; TOGGLES toggles, a stop/start cycle (two toggles
 *       while stopped, which no request sees), TOGGLES more. Each toggle waits until its edge
 *       reached the ISR.</li>
 *   <li>{@code gpio-busy}, {@code gpio-release}: while the line is requested a second request fails
 *       with EBUSY; after the device is closed it succeeds.</li>
 *   <li>{@code gpio-debounce}: the same toggles with a 5 ms kernel debounce (gpio-sim has no
 *       debounce of its own, so the GPIO character device debounces in software).</li>
 *   <li>{@code gpio-button}: the sample {@link GpioButtonDriver} (pull-up bias, 5 ms debounce) on
 *       the line, TOGGLES / 2 presses.</li>
 *   <li>{@code gpio-overflow}: the ISR holds the dispatcher on the first edge while 2 x TOGGLES more
 *       are made; the kernel keeps the newest 16 (its event buffer for one line), and the edges it
 *       dropped show as one sequence-number gap.</li>
 *   <li>{@code gpio-buffered}: the same burst on a request with an event buffer of EVENT_BUFFER
 *       events ({@code event_buffer_size}); when that holds the burst, every edge is taken.</li>
 *   <li>{@code gpio-bounce-debounced}: bouncing contacts. 2 x BURSTS bursts of pull toggles written
 *       back to back, each burst much shorter than the kernel debounce of BOUNCE_DEBOUNCE_MS, and
 *       QUIET_MS of quiet after each: the even bursts BOUNCES toggles (odd, so the line settles on
 *       the other level), the odd ones a toggle fewer (a glitch: it settles back where it was). The
 *       kernel delivers one edge per settling burst, none per glitch.</li>
 *   <li>{@code gpio-bounce-raw}: the same bursts on a request without debounce, as the control:
 *       every toggle is an edge.</li>
 *   <li>{@code gpio-button-bounce}: the same bursts on the sample button driver with that debounce,
 *       from the released (high) level: one press per settling burst that ends low.</li>
 * </ul>
 */
public final class GpioSimProbe {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(20);
    private static final Duration DEBOUNCE = Duration.ofMillis(5);

    private final String chip;
    private final Path pull;
    private final Path value;
    private final int line;
    private boolean high;

    private GpioSimProbe(String chip, Path sysfs, int line) {
        this.chip = chip;
        this.pull = sysfs.resolve("sim_gpio" + line).resolve("pull");
        this.value = sysfs.resolve("sim_gpio" + line).resolve("value");
        this.line = line;
    }

    public static void main(String[] args) throws Exception {
        GpioSimProbe probe = new GpioSimProbe(args[0], Path.of(args[1]), Integer.parseInt(args[2]));
        int toggles = Integer.parseInt(args[3]);
        int eventBuffer = Integer.parseInt(args[4]);
        boolean ok = probe.edges("gpio-both", toggles, Duration.ZERO);
        ok &= probe.edges("gpio-debounce", toggles, DEBOUNCE);
        ok &= probe.button(toggles / 2);
        int bursts = Integer.parseInt(args[5]);
        int bounces = Integer.parseInt(args[6]);
        Duration bounceDebounce = Duration.ofMillis(Long.parseLong(args[7]));
        Duration quiet = Duration.ofMillis(Long.parseLong(args[8]));
        ok &= probe.bounces("gpio-bounce-debounced", bursts, bounces, bounceDebounce, quiet, true);
        ok &= probe.bounces("gpio-bounce-raw", bursts, bounces, bounceDebounce, quiet, false);
        ok &= probe.bouncingButton(bursts, bounces, bounceDebounce, quiet);
        ok &= probe.overflow("gpio-overflow", 2 * toggles, GpioHardware.KERNEL_DEFAULT_EVENT_BUFFER);
        ok &= probe.overflow("gpio-buffered", 2 * toggles, eventBuffer);
        System.out.println("INFO " + (ok ? "all GPIO checks passed" : "some GPIO checks FAILED"));
        System.exit(ok ? 0 : 1);
    }

    /** Records every edge the ISR takes: the kernel's fields, in order. */
    static final class EdgeRecorder {
        final GpioLineEvents events;
        final int capacity;
        final long[] timestamps;
        final int[] ids;
        final int[] offsets;
        final int[] seqnos;
        final int[] lineSeqnos;
        final long[] missedBefore;
        volatile int taken;
        volatile long missed;
        /** When set, the ISR that takes the next edge counts {@link #holding} down and waits for this latch. */
        volatile CountDownLatch hold;
        final CountDownLatch holding = new CountDownLatch(1);

        EdgeRecorder(GpioLineEvents events, int capacity) {
            this.events = events;
            this.capacity = capacity;
            timestamps = new long[capacity];
            ids = new int[capacity];
            offsets = new int[capacity];
            seqnos = new int[capacity];
            lineSeqnos = new int[capacity];
            missedBefore = new long[capacity];
        }

        boolean isr() {
            boolean any = false;
            while (events.next()) {
                any = true;
                int i = taken;
                if (i < capacity) {
                    timestamps[i] = events.timestampNanos();
                    ids[i] = events.edge();
                    offsets[i] = events.offset();
                    seqnos[i] = events.seqno();
                    lineSeqnos[i] = events.lineSeqno();
                    missedBefore[i] = events.missedBefore();
                }
                missed = missed + events.missedBefore();
                taken = i + 1; // single writer: the ISR
                CountDownLatch h = hold;
                if (h != null) {
                    hold = null;
                    holding.countDown();
                    try {
                        h.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            return any;
        }
    }

    static final class Wiring implements DriverWiring<EdgeRecorder> {
        @Override
        public Class<EdgeRecorder> driverType() {
            return EdgeRecorder.class;
        }

        @Override
        public List<InterruptConfig> interruptConfigs(EdgeRecorder driver) {
            return List.of(InterruptConfig.builder("", (interrupt, messageId) -> driver.isr()).build());
        }
    }

    private GpioHardware hardware(String name, GpioHardware.Bias bias, Duration debounce) {
        return hardware(name, bias, debounce, GpioHardware.KERNEL_DEFAULT_EVENT_BUFFER);
    }

    private GpioHardware hardware(String name, GpioHardware.Bias bias, Duration debounce, int eventBuffer) {
        return GpioHardware.builder(chip).line(name, line, GpioHardware.Edge.BOTH, bias, debounce, eventBuffer).build();
    }

    /**
     * Toggles, a stop/start cycle, toggles; then the busy and release checks (first run only). The
     * line starts low (pull-down) before it is requested.
     */
    private boolean edges(String test, int toggles, Duration debounce) throws Exception {
        setPull(false);
        EdgeRecorder rec;
        InterruptStatistics stats;
        long windowMisses = 0;
        long valueMismatches = 0;
        long stoppedEdges;
        String busy = "not-checked";
        int timeouts = 0;
        try (GpioHardware gpio = hardware("edges", GpioHardware.Bias.AS_IS, debounce);
             DeviceNode device = DeviceNode.create(test, gpio)) {
            rec = new EdgeRecorder(gpio.events("edges"), 2 * toggles + 8);
            device.addDriver(rec, new Wiring());
            long[] before = new long[2 * toggles];
            long[] after = new long[2 * toggles];
            device.start();
            for (int cycle = 0; cycle < 2; cycle++) {
                if (cycle == 1) {
                    device.stop();
                    // Edges while no line request exists reach nobody, and must not show up later.
                    setPull(!high);
                    setPull(!high);
                    device.start();
                }
                for (int t = 0; t < toggles; t++) {
                    int i = cycle * toggles + t;
                    before[i] = System.nanoTime();
                    setPull(!high);
                    if (!await(() -> rec.taken > i)) {
                        timeouts++;
                        break;
                    }
                    after[i] = System.nanoTime();
                    valueMismatches += readValue() == high ? 0 : 1;
                }
                if (cycle == 0 && debounce.isZero()) {
                    busy = secondRequest();
                }
            }
            stoppedEdges = rec.taken - 2L * toggles;
            device.stop();
            stats = device.getInterrupts().getFirst().getStatistics();
            for (int i = 0; i < Math.min(rec.taken, 2 * toggles); i++) {
                // Kernel timestamps are CLOCK_MONOTONIC, System.nanoTime's clock: each lies between
                // the pull write and the ISR seeing it.
                windowMisses += rec.timestamps[i] >= before[i] && rec.timestamps[i] <= after[i] ? 0 : 1;
            }
        }
        int n = Math.min(rec.taken, rec.capacity);
        long notAlternating = 0;
        long notIncreasing = 0;
        long seqBreaks = 0;
        long wrongOffset = 0;
        long firstRising = n > 0 && rec.ids[0] == GpioLineEvents.RISING_EDGE ? 1 : 0;
        long seqRestarts = 0;
        for (int i = 0; i < n; i++) {
            wrongOffset += rec.offsets[i] == line ? 0 : 1;
            if (i == 0) {
                continue;
            }
            notAlternating += rec.ids[i] != rec.ids[i - 1] ? 0 : 1;
            notIncreasing += rec.timestamps[i] > rec.timestamps[i - 1] ? 0 : 1;
            if (rec.seqnos[i] == 1 && i == toggles) {
                seqRestarts++; // a new request after start: the kernel counts from 1 again
            } else if (rec.seqnos[i] != rec.seqnos[i - 1] + 1 || rec.lineSeqnos[i] != rec.lineSeqnos[i - 1] + 1) {
                seqBreaks++;
            }
        }
        String release = debounce.isZero() ? secondRequest() : "not-checked";
        System.out.printf(Locale.ROOT, "RESULT test=%s edges=%d taken=%d first_rising=%d not_alternating=%d"
                        + " ts_not_increasing=%d ts_outside_write_window=%d seq_breaks=%d seq_restarts=%d missed=%d"
                        + " wrong_offset=%d value_mismatches=%d stopped_edges_seen=%d timeouts=%d %s%n",
                test, 2 * toggles, rec.taken, firstRising, notAlternating, notIncreasing, windowMisses, seqBreaks,
                seqRestarts, rec.missed, wrongOffset, valueMismatches, stoppedEdges, timeouts, describe(stats));
        if (debounce.isZero()) {
            System.out.printf(Locale.ROOT, "RESULT test=gpio-busy while_held=%s%n", busy);
            System.out.printf(Locale.ROOT, "RESULT test=gpio-release after_close=%s%n", release);
        }
        return timeouts == 0;
    }

    /** Requests the line once more and releases it: "ok", "ebusy" or the failure. */
    private String secondRequest() {
        try (GpioHardware gpio = hardware("again", GpioHardware.Bias.AS_IS, Duration.ZERO);
             DeviceNode device = DeviceNode.create("again", gpio)) {
            device.addDriver(new EdgeRecorder(gpio.events("again"), 1), new Wiring());
            device.start();
            device.stop();
            return "ok";
        } catch (LinuxInterfaceException e) {
            return e.getMessage().contains("another consumer holds the line") ? "ebusy" : "failed";
        } catch (RuntimeException e) {
            Throwable c = e;
            while (c != null && !(c instanceof LinuxInterfaceException)) {
                c = c.getCause();
            }
            if (c != null && c.getMessage().contains("another consumer holds the line")) {
                return "ebusy";
            }
            System.out.println("INFO second request: " + e);
            return "failed";
        }
    }

    /** The sample button driver: presses (falling edges) on a pulled-up, debounced line. */
    private boolean button(int presses) throws Exception {
        setPull(true); // released, as the request's pull-up bias leaves it
        AtomicLong reported = new AtomicLong();
        AtomicLong lastMissed = new AtomicLong(-1);
        int timeouts = 0;
        InterruptStatistics stats;
        GpioButtonDriver driver;
        try (GpioHardware gpio = hardware("button", GpioHardware.Bias.PULL_UP, DEBOUNCE);
             DeviceNode device = DeviceNode.create("button", gpio)) {
            driver = new GpioButtonDriver(gpio.events("button"), (count, last, missed) -> {
                reported.addAndGet(count);
                lastMissed.set(missed);
            });
            device.addDriver(driver);
            device.start();
            Interrupt interrupt = device.getInterrupts().getFirst();
            for (int p = 1; p <= presses; p++) {
                int press = p;
                setPull(false);
                boolean pressed = await(() -> driver.totalPresses() == press);
                setPull(true);
                // The release must be seen before the next press, or the debounce would merge them.
                boolean released = await(() -> interrupt.getStatistics().signals() == 2L * press);
                if (!pressed || !released) {
                    timeouts++;
                    break;
                }
            }
            await(() -> reported.get() == presses);
            device.stop();
            stats = interrupt.getStatistics();
        }
        System.out.printf(Locale.ROOT, "RESULT test=gpio-button presses=%d seen=%d reported=%d missed=%d timeouts=%d"
                + " %s%n", presses, driver.totalPresses(), reported.get(), Math.max(0, lastMissed.get()), timeouts,
                describe(stats));
        return timeouts == 0;
    }

    /**
     * The ISR holds the dispatcher on the first edge while {@code more} edges are made: the kernel's
     * event buffer ({@code eventBuffer} events, 0: 16 for one line) keeps the newest, the rest show
     * as one sequence gap.
     */
    private boolean overflow(String test, int more, int eventBuffer) throws Exception {
        setPull(false);
        EdgeRecorder rec;
        InterruptStatistics stats;
        boolean held;
        boolean drained;
        try (GpioHardware gpio = hardware("overflow", GpioHardware.Bias.AS_IS, Duration.ZERO, eventBuffer);
             DeviceNode device = DeviceNode.create("overflow", gpio)) {
            rec = new EdgeRecorder(gpio.events("overflow"), more + 8);
            device.addDriver(rec, new Wiring());
            device.start();
            CountDownLatch release = new CountDownLatch(1);
            rec.hold = release;
            setPull(true);
            held = rec.holding.await(20, TimeUnit.SECONDS);
            // One vCPU: the line's interrupt thread (real-time) queues each edge before the write returns.
            for (int i = 0; i < more; i++) {
                setPull(!high);
            }
            release.countDown();
            drained = await(() -> rec.taken + rec.missed >= 1 + more);
            device.stop();
            stats = device.getInterrupts().getFirst().getStatistics();
        }
        int n = Math.min(rec.taken, rec.capacity);
        long gaps = 0;
        for (int i = 0; i < n; i++) {
            gaps += rec.missedBefore[i] > 0 ? 1 : 0;
        }
        System.out.printf(Locale.ROOT, "RESULT test=%s event_buffer=%d edges=%d taken=%d missed=%d gaps=%d"
                        + " last_seqno=%d held=%s drained=%s %s%n", test, eventBuffer, 1 + more, rec.taken, rec.missed,
                gaps, n > 0 ? rec.seqnos[n - 1] : 0, held, drained, describe(stats));
        return held && drained;
    }

    /**
     * What a run of bursts wrote, and when (System.nanoTime, CLOCK_MONOTONIC like the kernel's
     * timestamps): burst {@code b} owns the time from its first write to the next burst's.
     */
    private static final class Bursts {
        final int[] writes;
        final boolean[] startsHigh;
        final boolean[] endsHigh;
        final long[] start;
        final long[] lastWrite;
        final long[] end;
        /** When each write was made, and the level it left, in order: the edges without debounce. */
        final long[] writeTimes;
        final boolean[] writeLevels;
        /** The level each settling burst left, in order: the edges a debounced request reports. */
        final boolean[] settledLevels;
        int totalWrites;
        int levelChanges;
        long runEnd;
        int timeouts;

        Bursts(int count, int maxWritesPerBurst) {
            writes = new int[count];
            startsHigh = new boolean[count];
            endsHigh = new boolean[count];
            start = new long[count];
            lastWrite = new long[count];
            end = new long[count];
            writeTimes = new long[count * maxWritesPerBurst];
            writeLevels = new boolean[count * maxWritesPerBurst];
            settledLevels = new boolean[count];
        }

        /** The burst whose time {@code t} falls in, or -1 before the first. */
        int burstAt(long t) {
            int b = -1;
            while (b + 1 < start.length && start[b + 1] <= t) {
                b++;
            }
            return b;
        }

        long longestBurstMicros() {
            long longest = 0;
            for (int b = 0; b < start.length; b++) {
                longest = Math.max(longest, end[b] - start[b]);
            }
            return longest / 1_000;
        }

        /** The longest time between two writes of one burst: what the debounce timer must outlast. */
        long longestBounceMicros() {
            long longest = 0;
            int w = 0;
            for (int b = 0; b < writes.length; b++) {
                for (int k = 1; k < writes[b]; k++) {
                    longest = Math.max(longest, writeTimes[w + k] - writeTimes[w + k - 1]);
                }
                w += writes[b];
            }
            return longest / 1_000;
        }

        /** Each burst's time from its first toggle to its last write's return. */
        String durationsMicros() {
            StringBuilder s = new StringBuilder();
            for (int b = 0; b < start.length; b++) {
                s.append(b == 0 ? "" : ",").append((end[b] - start[b]) / 1_000);
            }
            return s.toString();
        }

        long shortestQuietMicros() {
            long shortest = Long.MAX_VALUE;
            for (int b = 0; b < start.length; b++) {
                long next = b + 1 < start.length ? start[b + 1] : runEnd;
                shortest = Math.min(shortest, next - end[b]);
            }
            return shortest / 1_000;
        }
    }

    /**
     * 2 x {@code bursts} bursts of pull toggles, each written back to back: the even ones
     * {@code bounces} toggles (odd: the line settles on the other level), the odd ones a toggle fewer
     * (a glitch that settles back). After each burst the line stays quiet for {@code quiet}, and then
     * until {@code delivered} has caught up with what the request should deliver by then: one edge
     * per level change ({@code onePerChange}) or one per toggle. {@link #high} must be the line's
     * level before the first burst.
     */
    private Bursts writeBursts(int bursts, int bounces, Duration quiet, LongSupplier delivered, boolean onePerChange)
            throws Exception {
        Bursts run = new Bursts(2 * bursts, bounces);
        // One open file and one pwrite a toggle, nothing allocated: a burst is a few system calls.
        ByteBuffer up = ByteBuffer.wrap("pull-up".getBytes(StandardCharsets.US_ASCII));
        ByteBuffer down = ByteBuffer.wrap("pull-down".getBytes(StandardCharsets.US_ASCII));
        try (FileChannel pullFile = FileChannel.open(pull, StandardOpenOption.WRITE)) {
            for (int b = 0; b < 2 * bursts && run.timeouts == 0; b++) {
                writeBurst(run, b, b % 2 == 0 ? bounces : bounces - 1, pullFile, up, down);
                long quietUntil = run.end[b] + quiet.toNanos();
                while (System.nanoTime() < quietUntil) {
                    Thread.sleep(1);
                }
                long expected = onePerChange ? run.levelChanges : run.totalWrites;
                run.timeouts += await(() -> delivered.getAsLong() >= expected) ? 0 : 1;
            }
        }
        run.runEnd = System.nanoTime();
        return run;
    }

    /** Burst {@code b}: {@code writes} toggles back to back, each stamped just before its write. */
    private void writeBurst(Bursts run, int b, int writes, FileChannel pullFile, ByteBuffer up, ByteBuffer down)
            throws IOException {
        boolean startsHigh = high;
        run.writes[b] = writes;
        run.startsHigh[b] = startsHigh;
        run.start[b] = System.nanoTime();
        for (int k = 0; k < writes; k++) {
            long t = System.nanoTime();
            run.lastWrite[b] = t;
            run.writeTimes[run.totalWrites] = t;
            pullFile.write((high ? down : up).rewind(), 0);
            high = !high;
            run.writeLevels[run.totalWrites++] = high;
        }
        run.end[b] = System.nanoTime();
        run.endsHigh[b] = high;
        if (high != startsHigh) {
            run.settledLevels[run.levelChanges++] = high;
        }
    }

    /**
     * Bouncing bursts on a request with {@code debounce} ({@code debounced}) or without it: every
     * edge the ISR takes is matched to the burst whose time its kernel timestamp falls in.
     */
    private boolean bounces(String test, int bursts, int bounces, Duration debounce, Duration quiet, boolean debounced)
            throws Exception {
        // The test needs bursts shorter than the debounce period and quiet gaps longer: a guest
        // descheduled by its host mid-burst (TCG on a loaded machine) writes neither, and that
        // pass tests nothing. Such a pass is run again, up to three times; the host checks the one
        // reported.
        for (int attempt = 1; ; attempt++) {
            Boolean passed = bouncesOnce(test, bursts, bounces, debounce, quiet, debounced, attempt, attempt == 3);
            if (passed != null) {
                return passed;
            }
        }
    }

    /** One pass of {@link #bounces}; null if its bursts were not written as the test needs. */
    private Boolean bouncesOnce(String test, int bursts, int bounces, Duration debounce, Duration quiet,
            boolean debounced, int attempt, boolean last) throws Exception {
        setPull(false);
        int maxWrites = 2 * bursts * bounces;
        Duration requested = debounced ? debounce : Duration.ZERO;
        EdgeRecorder rec;
        Bursts run;
        InterruptStatistics stats;
        try (GpioHardware gpio = hardware("bounce", GpioHardware.Bias.AS_IS, requested);
             DeviceNode device = DeviceNode.create(test, gpio)) {
            rec = new EdgeRecorder(gpio.events("bounce"), maxWrites + 8);
            device.addDriver(rec, new Wiring());
            device.start();
            EdgeRecorder r = rec;
            run = writeBursts(bursts, bounces, quiet, () -> r.taken, debounced);
            device.stop();
            stats = device.getInterrupts().getFirst().getStatistics();
        }
        int n = Math.min(rec.taken, rec.capacity);
        // What the request should have delivered, from what was written: the level of each edge in order.
        boolean[] expectedLevels = debounced ? run.settledLevels : run.writeLevels;
        int expectedEdges = debounced ? run.levelChanges : run.totalWrites;
        int[] perBurst = new int[run.writes.length];
        long outside = 0;
        long wrongDirection = 0;
        long notIncreasing = 0;
        long seqBreaks = 0;
        long wrongOffset = 0;
        long afterLastToggleMin = Long.MAX_VALUE;
        long afterLastToggleMax = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            long ts = rec.timestamps[i];
            int b = run.burstAt(ts);
            if (b < 0 || ts > run.runEnd) {
                outside++;
            } else {
                perBurst[b]++;
                // A debounced edge comes a debounce period after its burst's last toggle, a raw one before.
                long afterLastToggle = ts - run.lastWrite[b];
                afterLastToggleMin = Math.min(afterLastToggleMin, afterLastToggle);
                afterLastToggleMax = Math.max(afterLastToggleMax, afterLastToggle);
            }
            boolean rising = rec.ids[i] == GpioLineEvents.RISING_EDGE;
            wrongDirection += i < expectedEdges && rising == expectedLevels[i] ? 0 : 1;
            wrongOffset += rec.offsets[i] == line ? 0 : 1;
            // One request, one line: the kernel numbers its edges 1, 2, 3, ... in both counters.
            seqBreaks += rec.seqnos[i] == i + 1 && rec.lineSeqnos[i] == i + 1 ? 0 : 1;
            if (i > 0) {
                notIncreasing += ts > rec.timestamps[i - 1] ? 0 : 1;
            }
        }
        long burstMismatches = 0;
        for (int b = 0; b < perBurst.length; b++) {
            int expected = debounced ? (run.endsHigh[b] != run.startsHigh[b] ? 1 : 0) : run.writes[b];
            burstMismatches += perBurst[b] == expected ? 0 : 1;
        }
        long debounceMicros = debounce.toNanos() / 1_000;
        boolean written = run.longestBurstMicros() < debounceMicros && run.shortestQuietMicros() > debounceMicros;
        if (!written && run.timeouts == 0 && !last) {
            System.out.println("INFO " + test + " attempt " + attempt + " written too slowly: burst_max_us="
                    + run.longestBurstMicros() + " quiet_min_us=" + run.shortestQuietMicros() + "; again");
            return null;
        }
        System.out.printf(Locale.ROOT, "RESULT test=%s attempts=%d debounce_us=%d bursts=%d writes=%d level_changes=%d"
                        + " expected_edges=%d taken=%d burst_mismatches=%d outside_bursts=%d wrong_direction=%d"
                        + " ts_not_increasing=%d seq_breaks=%d missed=%d wrong_offset=%d"
                        + " after_last_toggle_min_us=%d after_last_toggle_max_us=%d burst_max_us=%d bounce_max_us=%d"
                        + " quiet_min_us=%d timeouts=%d %s%n",
                test, attempt, requested.toNanos() / 1_000, run.writes.length, run.totalWrites,
                run.levelChanges, expectedEdges, rec.taken, burstMismatches, outside, wrongDirection, notIncreasing,
                seqBreaks, rec.missed, wrongOffset, n - outside > 0 ? afterLastToggleMin / 1_000 : 0,
                n - outside > 0 ? afterLastToggleMax / 1_000 : 0,
                run.longestBurstMicros(), run.longestBounceMicros(), run.shortestQuietMicros(),
                run.timeouts, describe(stats));
        System.out.println("INFO " + test + " bursts_us=" + run.durationsMicros());
        return run.timeouts == 0;
    }

    /**
     * The sample button driver (pull-up bias) with {@code debounce}, pressed and released through
     * bouncing bursts from the released level: each settling burst that ends low is one press.
     */
    private boolean bouncingButton(int bursts, int bounces, Duration debounce, Duration quiet) throws Exception {
        // Run again when the guest wrote the bursts too slowly, as bounces() does.
        for (int attempt = 1; ; attempt++) {
            Boolean passed = bouncingButtonOnce(bursts, bounces, debounce, quiet, attempt, attempt == 3);
            if (passed != null) {
                return passed;
            }
        }
    }

    /** One pass of {@link #bouncingButton}; null if its bursts were not written as the test needs. */
    private Boolean bouncingButtonOnce(int bursts, int bounces, Duration debounce, Duration quiet, int attempt,
            boolean lastAttempt) throws Exception {
        setPull(true);
        AtomicLong reported = new AtomicLong();
        AtomicLong lastMissed = new AtomicLong(-1);
        InterruptStatistics stats;
        GpioButtonDriver driver;
        Bursts run;
        try (GpioHardware gpio = hardware("button", GpioHardware.Bias.PULL_UP, debounce);
             DeviceNode device = DeviceNode.create("button-bounce", gpio)) {
            driver = new GpioButtonDriver(gpio.events("button"), (count, last, missed) -> {
                reported.addAndGet(count);
                lastMissed.set(missed);
            });
            device.addDriver(driver);
            device.start();
            Interrupt interrupt = device.getInterrupts().getFirst();
            run = writeBursts(bursts, bounces, quiet, () -> interrupt.getStatistics().signals(), true);
            long pressBursts = pressBursts(run);
            await(() -> reported.get() == pressBursts);
            device.stop();
            stats = interrupt.getStatistics();
        }
        long debounceMicros = debounce.toNanos() / 1_000;
        boolean written = run.longestBurstMicros() < debounceMicros && run.shortestQuietMicros() > debounceMicros;
        if (!written && run.timeouts == 0 && !lastAttempt) {
            System.out.println("INFO gpio-button-bounce attempt " + attempt + " written too slowly: burst_max_us="
                    + run.longestBurstMicros() + " quiet_min_us=" + run.shortestQuietMicros() + "; again");
            return null;
        }
        System.out.printf(Locale.ROOT, "RESULT test=gpio-button-bounce attempts=%d debounce_us=%d bursts=%d writes=%d"
                        + " level_changes=%d presses=%d seen=%d reported=%d missed=%d burst_max_us=%d timeouts=%d %s%n",
                attempt, debounce.toNanos() / 1_000, run.writes.length, run.totalWrites, run.levelChanges,
                pressBursts(run),
                driver.totalPresses(), reported.get(), Math.max(0, lastMissed.get()), run.longestBurstMicros(),
                run.timeouts, describe(stats));
        System.out.println("INFO gpio-button-bounce bursts_us=" + run.durationsMicros());
        return run.timeouts == 0;
    }

    /** Presses written: bursts that left the line low after it was high (released) before them. */
    private static long pressBursts(Bursts run) {
        long presses = 0;
        for (int b = 0; b < run.writes.length; b++) {
            presses += run.startsHigh[b] && !run.endsHigh[b] ? 1 : 0;
        }
        return presses;
    }

    private static String describe(InterruptStatistics s) {
        return String.format(Locale.ROOT, "signals=%d isr_calls=%d claimed=%d coalesced=%d dropped=%d"
                        + " callback_failures=%d", s.signals(), s.isrCalls(), s.claimed(), s.coalesced(), s.dropped(),
                s.callbackFailures());
    }

    private void setPull(boolean up) throws IOException {
        Files.writeString(pull, up ? "pull-up" : "pull-down");
        high = up;
    }

    private boolean readValue() throws IOException {
        return Files.readString(value).strip().equals("1");
    }

    private static boolean await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(0, 200_000);
        }
        return true;
    }
}
