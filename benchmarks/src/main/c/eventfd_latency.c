/*
 * The floor for interrupt latency through an eventfd: one thread writes the eventfd, another
 * blocked in epoll_wait wakes, reads it and takes the time. The same protocol as the Java side
 * of dev.udriver.benchmarks.latency.InterruptLatency: the signaller sleeps GAP ns, stamps t0
 * (CLOCK_MONOTONIC), writes 1; the receiver stamps t1 after epoll_wait and read; the signaller
 * waits for the receiver before the next sample, so each sample is a cold wake.
 *
 * Build: gcc -O2 -pthread -o eventfd_latency eventfd_latency.c
 * Run:   ./eventfd_latency SAMPLES GAP_NS WARMUP   -> prints "p50 p99 p999 max" in ns
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

static int efd;
static long samples, warmup;
static _Atomic long t0;
static _Atomic long done;
static long *latencies;

static long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void *receiver(void *arg) {
  (void) arg;
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 1};
  epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev);
  struct epoll_event ready[8];
  uint64_t count;
  for (long i = 0; i < warmup + samples; i++) {
    while (epoll_wait(ep, ready, 8, -1) <= 0) {
    }
    if (read(efd, &count, 8) != 8) {
      i--;
      continue;
    }
    long t1 = now_ns();
    if (i >= warmup) {
      latencies[i - warmup] = t1 - atomic_load(&t0);
    }
    atomic_store(&done, i + 1);
  }
  close(ep);
  return NULL;
}

static int compare(const void *a, const void *b) {
  long x = *(const long *) a, y = *(const long *) b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  samples = argc > 1 ? atol(argv[1]) : 50000;
  long gap = argc > 2 ? atol(argv[2]) : 20000;
  warmup = argc > 3 ? atol(argv[3]) : 5000;
  latencies = calloc(samples, sizeof(long));
  efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  pthread_t thread;
  pthread_create(&thread, NULL, receiver, NULL);
  struct timespec pause = {.tv_sec = 0, .tv_nsec = gap};
  uint64_t one = 1;
  for (long i = 0; i < warmup + samples; i++) {
    nanosleep(&pause, NULL);
    atomic_store(&t0, now_ns());
    if (write(efd, &one, 8) != 8) {
      return 1;
    }
    while (atomic_load(&done) <= i) {
    }
  }
  pthread_join(thread, NULL);
  qsort(latencies, samples, sizeof(long), compare);
  printf("%ld %ld %ld %ld\n", latencies[samples / 2], latencies[(long) (samples * 0.99)],
         latencies[(long) (samples * 0.999)], latencies[samples - 1]);
  return 0;
}
