/*
 * Reference loop: edu interrupts through uio_pci_generic (INTx).
 *
 *   uio_test <uioN> <warmup> <raises> [factorials]
 *
 * Two raise loops of warmup + raises iterations each, the warm-up left out of the latency figures
 * (counted and checked all the same). The first on one thread: each iteration raises an interrupt through BAR0 0x60, blocks in read() on /dev/uioN, checks
 * that the event count advanced by exactly one and that the interrupt status register holds
 * exactly the raised value, acknowledges it (0x64) and re-enables INTx. uio_pci_generic has no
 * irqcontrol hook (write(1) fails with ENOSYS); its handler masks the line with
 * PCI_COMMAND_INTX_DISABLE, so the re-arm is a config-space write that clears that bit,
 * done after the device deasserted the line. The second is the hand-off loop of edu_common.h (a
 * handler thread in epoll_wait, the raising thread asleep on a futex), the shape of udriver's
 * dispatch, with the same checks and re-arm.
 *
 * With a factorial count, a second loop follows: the device's own interrupt. With status bit 7
 * set, each iteration writes n to 0x08 and waits (up to 2 s) for the completion interrupt, then
 * checks that it is the factorial interrupt, that the device is done and that 0x08 holds n!.
 */
#include "edu_common.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#define PCI_COMMAND_HI      5       /* high byte of the command register */
#define INTX_DISABLE_HI     0x04    /* bit 10 of the command register */

static void unmask_intx(int cfd) {
    uint8_t hi;
    if (pread(cfd, &hi, 1, PCI_COMMAND_HI) != 1) DIE("pread config");
    hi &= (uint8_t)~INTX_DISABLE_HI;
    if (pwrite(cfd, &hi, 1, PCI_COMMAND_HI) != 1) DIE("pwrite config");
}

/* Events that arrive within timeout_ms without a raise; each one is spurious. */
static long idle_events(int ufd, int timeout_ms) {
    struct pollfd p = { .fd = ufd, .events = POLLIN };
    long events = 0;
    while (poll(&p, 1, timeout_ms) > 0) {
        uint32_t c;
        if (read(ufd, &c, 4) != 4) DIE("read uio");
        events++;
    }
    return events;
}

static int factorial_loop(volatile uint8_t *bar, int ufd, int cfd, long n) {
    struct tally t = { .test = "uio-factorial", .lat = calloc((size_t)n, sizeof(uint64_t)) };
    wr(bar, EDU_STATUS, EDU_STATUS_IRQ_FACT);
    t.idle_events += idle_events(ufd, 50);
    uint64_t start = now_ns();
    for (long i = 0; i < n; i++) {
        uint32_t operand = (uint32_t)(i % 21), count;
        uint64_t t0 = now_ns();
        wr(bar, EDU_FACTORIAL, operand);
        t.raised++;
        struct pollfd p = { .fd = ufd, .events = POLLIN };
        if (poll(&p, 1, 2000) <= 0) { t.lost++; fprintf(stderr, "factorial %u: no interrupt\n", operand); continue; }
        if (read(ufd, &count, 4) != 4) DIE("read uio");
        t.lat[i] = now_ns() - t0;
        uint32_t st = rd(bar, EDU_IRQ_STATUS);
        if (st == 0) { t.spurious++; continue; }
        t.claimed++;
        if (st != EDU_IRQ_FACT || (rd(bar, EDU_STATUS) & EDU_STATUS_COMPUTING)) t.wrong_status++;
        if (rd(bar, EDU_FACTORIAL) != factorial(operand)) t.wrong_value++;
        wr(bar, EDU_IRQ_ACK, st);
        unmask_intx(cfd);
    }
    t.elapsed_ns = now_ns() - start;
    wr(bar, EDU_STATUS, 0);
    t.idle_events += idle_events(ufd, 50);
    return report(&t);
}

static long uio_take(struct handoff *h) {
    uint32_t count;
    if (read(h->fd, &count, 4) != 4) DIE("read uio");
    long events = h->have_last ? (long)(uint32_t)(count - h->last_count) : 1;
    h->last_count = count;
    h->have_last = 1;
    return events;
}

static void uio_rearm(struct handoff *h) {
    unmask_intx(h->cfd);
}

static long uio_idle(struct handoff *h) {
    h->have_last = 0;   /* idle_events reads the count too */
    return idle_events(h->fd, 50);
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) { fprintf(stderr, "usage: %s <uioN> <warmup> <raises> [factorials]\n", argv[0]); return 2; }
    const char *uio = argv[1];
    long warmup = atol(argv[2]);
    long n = warmup + atol(argv[3]);
    char path[256];

    snprintf(path, sizeof path, "/sys/class/uio/%s/device/resource0", uio);
    int rfd = open(path, O_RDWR | O_SYNC);
    if (rfd < 0) DIE("open %s", path);
    volatile uint8_t *bar = mmap(NULL, EDU_BAR0_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0);
    if (bar == MAP_FAILED) DIE("mmap %s", path);
    snprintf(path, sizeof path, "/sys/class/uio/%s/device/config", uio);
    int cfd = open(path, O_RDWR);
    if (cfd < 0) DIE("open %s", path);
    snprintf(path, sizeof path, "/dev/%s", uio);
    int ufd = open(path, O_RDWR);
    if (ufd < 0) DIE("open %s", path);

    check_id(bar);
    /* a clean start: nothing pending in the device, the line unmasked */
    wr(bar, EDU_IRQ_ACK, rd(bar, EDU_IRQ_STATUS));
    unmask_intx(cfd);

    /* UIO's generic write(1) re-enable does not exist for uio_pci_generic */
    uint32_t one = 1;
    int irqcontrol = write(ufd, &one, 4) == 4;

    struct tally t = { .test = "uio-intx", .warmup = warmup, .lat = calloc((size_t)n, sizeof(uint64_t)) };
    t.idle_events += idle_events(ufd, 50);

    uint32_t last = 0;
    int have_last = 0;
    uint64_t start = now_ns();
    for (long i = 0; i < n; i++) {
        if (i == warmup) start = now_ns();
        uint32_t v = raise_value(i), count;
        uint64_t t0 = now_ns();
        wr(bar, EDU_IRQ_RAISE, v);
        if (read(ufd, &count, 4) != 4) DIE("read uio");
        t.lat[i] = now_ns() - t0;
        t.raised++;
        if (have_last && count != last + 1) {
            if (count > last + 1) t.lost += (long)(count - last - 1); else t.spurious++;
        }
        last = count; have_last = 1;
        uint32_t st = rd(bar, EDU_IRQ_STATUS);
        if (st == 0) { t.spurious++; } else { t.claimed++; if (st != v) t.wrong_status++; }
        wr(bar, EDU_IRQ_ACK, st);
        if (rd(bar, EDU_IRQ_STATUS) != 0) t.wrong_status++;
        unmask_intx(cfd);
    }
    t.elapsed_ns = now_ns() - start;
    t.idle_events += idle_events(ufd, 50);
    printf("INFO uio=%s irqcontrol_write=%s\n", uio, irqcontrol ? "accepted" : "ENOSYS");
    int rc = report(&t);
    struct handoff h = { .bar = bar, .fd = ufd, .cfd = cfd, .take = uio_take, .rearm = uio_rearm, .idle = uio_idle };
    if (handoff_loop(&h, "uio-intx-handoff", "uio-intx-handoff-return", warmup, n) != 0) rc = 1;
    if (argc == 5 && factorial_loop(bar, ufd, cfd, atol(argv[4])) != 0) rc = 1;
    return rc;
}
