/*
 * Shared helpers for the edu reference loops: MMIO access, clock, latency statistics and
 * the machine-readable RESULT line that the host-side test parses.
 *
 * Register offsets follow QEMU's hw/misc/edu.c (see EduRegisters.java beside the tests).
 */
#ifndef EDU_COMMON_H
#define EDU_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    uint64_t *lat;      /* n latencies, raise -> wake-up */
    uint64_t elapsed_ns;
};

/* Prints one RESULT line and returns the exit status: 0 when every raise was claimed exactly once. */
static int report(struct tally *t) {
    /* Latency figures cover the second half of the loop, like the Java programs (whose first half
       warms up the JIT); the counts cover every iteration. */
    long from = t->raised / 2, n = t->raised - from;
    uint64_t *lat = t->lat + from;
    uint64_t p50 = 0, p90 = 0, p99 = 0, max = 0;
    if (n > 0) {
        qsort(lat, (size_t)n, sizeof(uint64_t), cmp_u64);
        p50 = lat[n / 2]; p90 = lat[n * 9 / 10]; p99 = lat[n * 99 / 100]; max = lat[n - 1];
    }
    double per_sec = t->elapsed_ns ? (double)t->raised * 1e9 / (double)t->elapsed_ns : 0;
    int ok = t->claimed == t->raised && t->lost == 0 && t->spurious == 0 && t->wrong_status == 0
             && t->wrong_value == 0 && t->idle_events == 0;
    printf("RESULT test=%s raised=%ld claimed=%ld lost=%ld spurious=%ld wrong_status=%ld wrong_value=%ld "
           "idle_events=%ld latency_from=%ld p50_ns=%llu p90_ns=%llu p99_ns=%llu max_ns=%llu cycles_per_s=%.0f verdict=%s\n",
           t->test, t->raised, t->claimed, t->lost, t->spurious, t->wrong_status, t->wrong_value, t->idle_events, from,
           (unsigned long long)p50, (unsigned long long)p90, (unsigned long long)p99,
           (unsigned long long)max, per_sec, ok ? "PASS" : "FAIL");
    fflush(stdout);
    return ok ? 0 : 1;
}

#endif
