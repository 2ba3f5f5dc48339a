/*
 * Shared helpers for the edu reference loops: MMIO access, clock, latency statistics and
 * the machine-readable RESULT line that the host-side test parses.
 *
 * Register offsets follow QEMU's hw/misc/edu.c (see EduRegisters.java beside the tests).
 */
#ifndef EDU_COMMON_H
#define EDU_COMMON_H

#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define EDU_ID          0x00
#define EDU_LIVENESS    0x04
#define EDU_FACTORIAL   0x08
#define EDU_STATUS      0x20
#define EDU_IRQ_STATUS  0x24
#define EDU_IRQ_RAISE   0x60
#define EDU_IRQ_ACK     0x64
#define EDU_DMA_SRC     0x80
#define EDU_DMA_DST     0x88
#define EDU_DMA_COUNT   0x90
#define EDU_DMA_CMD     0x98
#define EDU_DMA_START   0x1
#define EDU_DMA_TO_RAM  0x2
#define EDU_DMA_IRQ     0x4
#define EDU_IRQ_DMA     0x100
#define EDU_DMA_BUFFER  0x40000

#define EDU_STATUS_COMPUTING   0x01
#define EDU_STATUS_IRQ_FACT    0x80
#define EDU_IRQ_FACT    0x1

#define EDU_ID_MASK     0x0000ffffu
#define EDU_ID_MAGIC    0x000000edu
#define EDU_BAR0_SIZE   (1u << 20)

static inline uint32_t rd(volatile uint8_t *bar, uint32_t off) {
    return *(volatile uint32_t *)(bar + off);
}

static inline void wr(volatile uint8_t *bar, uint32_t off, uint32_t v) {
    *(volatile uint32_t *)(bar + off) = v;
}

static inline void wr64(volatile uint8_t *bar, uint32_t off, uint64_t v) {
    *(volatile uint64_t *)(bar + off) = v;
}

static inline uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#define DIE(...) do { fprintf(stderr, __VA_ARGS__); fprintf(stderr, " (errno %d: %s)\n", errno, strerror(errno)); exit(2); } while (0)

/* The value raised for iteration i: never 0, distinct low bits, bit 0 (factorial) clear. */
static inline uint32_t raise_value(long i) {
    return 0x00010000u | (((uint32_t)i & 0x7fffu) << 1);
}

/* The check of the device identification register; exits on mismatch. */
static inline void check_id(volatile uint8_t *bar) {
    uint32_t id = rd(bar, EDU_ID);
    if ((id & EDU_ID_MASK) != EDU_ID_MAGIC) {
        fprintf(stderr, "not an edu device: id register 0x%08x\n", id);
        exit(2);
    }
    /* liveness: the register returns the inverse of what was written */
    wr(bar, EDU_LIVENESS, 0x12345678u);
    if (rd(bar, EDU_LIVENESS) != ~0x12345678u) {
        fprintf(stderr, "liveness check failed: 0x%08x\n", rd(bar, EDU_LIVENESS));
        exit(2);
    }
}

/* n! as the device computes it: 32-bit unsigned, wrapping. */
static inline uint32_t factorial(uint32_t n) {
    uint32_t r = 1;
    while (n > 0) r *= n--;
    return r;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

struct tally {
    const char *test;
    long raised, claimed, lost, spurious, wrong_status, wrong_value, idle_events;
    long warmup;        /* leading iterations left out of the latency figures (counted all the same) */
    uint64_t *lat;      /* n latencies, raise -> wake-up */
    uint64_t elapsed_ns;   /* of the iterations after the warm-up */
};

/* Prints one RESULT line and returns the exit status: 0 when every raise was claimed exactly once. */
static int report(struct tally *t) {
    /* Latency figures leave out the warm-up, as the Java programs do (theirs lets the JIT compile
       the loop); the counts cover every iteration. */
    long from = t->warmup < t->raised ? t->warmup : t->raised, n = t->raised - from;
    uint64_t *lat = t->lat + from;
    uint64_t p50 = 0, p90 = 0, p99 = 0, max = 0;
    if (n > 0) {
        qsort(lat, (size_t)n, sizeof(uint64_t), cmp_u64);
        p50 = lat[n / 2]; p90 = lat[n * 9 / 10]; p99 = lat[n * 99 / 100]; max = lat[n - 1];
    }
    double per_sec = t->elapsed_ns ? (double)n * 1e9 / (double)t->elapsed_ns : 0;
    int ok = t->claimed == t->raised && t->lost == 0 && t->spurious == 0 && t->wrong_status == 0
             && t->wrong_value == 0 && t->idle_events == 0;
    printf("RESULT test=%s raised=%ld claimed=%ld lost=%ld spurious=%ld wrong_status=%ld wrong_value=%ld "
           "idle_events=%ld latency_from=%ld samples=%ld p50_ns=%llu p90_ns=%llu p99_ns=%llu max_ns=%llu cycles_per_s=%.0f verdict=%s\n",
           t->test, t->raised, t->claimed, t->lost, t->spurious, t->wrong_status, t->wrong_value, t->idle_events, from, n,
           (unsigned long long)p50, (unsigned long long)p90, (unsigned long long)p99,
           (unsigned long long)max, per_sec, ok ? "PASS" : "FAIL");
    fflush(stdout);
    return ok ? 0 : 1;
}

/*
 * The hand-off loop: the shape of udriver's dispatch, in C. A handler thread waits in epoll_wait on
 * the interrupt's descriptor; the main thread raises (BAR0 0x60) and sleeps on a futex until the
 * handler is done, as an application thread parks on its request. On a wake the handler reads the
 * descriptor, reads the status register and acknowledges it, takes its timestamp (where udriver's
 * ISR takes its own), checks, re-arms and wakes the main thread. Two latencies per iteration:
 * raise -> handler (the "ISR") and raise -> main thread awake again (the round trip).
 */
struct handoff {
    volatile uint8_t *bar;
    int fd;
    long (*take)(struct handoff *h);    /* reads fd after a wake: interrupts behind it */
    void (*rearm)(struct handoff *h);
    long (*idle)(struct handoff *h);    /* events within 50 ms without a raise (each one spurious) */
    int cfd;                            /* for rearm: config space or device descriptor */
    uint32_t last_count;                /* for take: UIO's running count, once have_last */
    int have_last;
    long n;
    struct tally *isr, *round_trip;
    _Atomic uint32_t done;              /* iterations the handler finished; the futex word */
    _Atomic uint64_t t0;                /* when the current raise was written */
    _Atomic uint32_t value;             /* the value it raised */
};

static void futex_wait(_Atomic uint32_t *word, uint32_t seen) {
    struct timespec two_s = { 2, 0 };
    syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, seen, &two_s, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *word) {
    syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *handoff_handler(void *arg) {
    struct handoff *h = arg;
    struct tally *t = h->isr;
    int ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) DIE("epoll_create1");
    struct epoll_event ev = { .events = EPOLLIN };
    if (epoll_ctl(ep, EPOLL_CTL_ADD, h->fd, &ev) < 0) DIE("epoll_ctl");
    for (long i = 0; i < h->n; i++) {
        struct epoll_event got;
        int ready = epoll_wait(ep, &got, 1, 2000);
        if (ready < 0 && errno == EINTR) { i--; continue; }
        if (ready <= 0) {
            t->lost++;
            fprintf(stderr, "hand-off %ld: no interrupt within 2 s\n", i);
        } else {
            long events = h->take(h);
            uint32_t st = rd(h->bar, EDU_IRQ_STATUS);
            wr(h->bar, EDU_IRQ_ACK, st);
            uint64_t t1 = now_ns();
            t->lat[i] = t1 - atomic_load_explicit(&h->t0, memory_order_acquire);
            if (events > 1) t->lost += events - 1;
            if (events < 1) t->spurious++;
            if (st == 0) { t->spurious++; }
            else { t->claimed++; if (st != atomic_load_explicit(&h->value, memory_order_relaxed)) t->wrong_status++; }
            if (rd(h->bar, EDU_IRQ_STATUS) != 0) t->wrong_status++;
            h->rearm(h);
        }
        atomic_store_explicit(&h->done, (uint32_t)(i + 1), memory_order_release);
        futex_wake(&h->done);
    }
    close(ep);
    return NULL;
}

/* Runs n iterations, the first `warmup` left out of the latency figures; prints both RESULT lines. */
static int handoff_loop(struct handoff *h, const char *isr_test, const char *round_trip_test, long warmup, long n) {
    struct tally isr = { .test = isr_test, .warmup = warmup, .lat = calloc((size_t)n, sizeof(uint64_t)) };
    struct tally rt = { .test = round_trip_test, .warmup = warmup, .lat = calloc((size_t)n, sizeof(uint64_t)) };
    h->n = n;
    h->isr = &isr;
    h->round_trip = &rt;
    atomic_store(&h->done, 0);
    isr.idle_events += h->idle(h);
    pthread_t handler;
    if (pthread_create(&handler, NULL, handoff_handler, h) != 0) DIE("pthread_create");
    usleep(20000);   /* the handler is in epoll_wait */
    uint64_t start = now_ns();
    for (long i = 0; i < n; i++) {
        if (i == warmup) start = now_ns();
        uint32_t v = raise_value(i);
        atomic_store_explicit(&h->value, v, memory_order_relaxed);
        uint64_t t0 = now_ns();
        atomic_store_explicit(&h->t0, t0, memory_order_release);
        wr(h->bar, EDU_IRQ_RAISE, v);
        isr.raised++;
        uint32_t seen;
        while ((seen = atomic_load_explicit(&h->done, memory_order_acquire)) != (uint32_t)(i + 1)) {
            futex_wait(&h->done, seen);
        }
        rt.lat[i] = now_ns() - t0;
    }
    isr.elapsed_ns = rt.elapsed_ns = now_ns() - start;
    pthread_join(handler, NULL);
    isr.idle_events += h->idle(h);
    rt.raised = isr.raised; rt.claimed = isr.claimed; rt.lost = isr.lost; rt.spurious = isr.spurious;
    rt.wrong_status = isr.wrong_status; rt.idle_events = isr.idle_events;
    int rc = report(&isr);
    return report(&rt) | rc;
}

#endif
