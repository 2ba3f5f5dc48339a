/*
 * The floor for interrupt latency through an eventfd: one thread writes the eventfd, another
 * blocked in epoll_wait wakes, reads it and takes the time. A separate process, driven block by
 * block by dev.udriver.benchmarks.latency.InterruptLatency so that its samples are taken
 * interleaved with the Java paths' and machine noise falls on all of them alike.
 *
 * The same protocol as the Java side: the signaller yields until GAP ns have passed, stamps t0
 * (CLOCK_MONOTONIC), writes 1, then yields until the receiver has stamped t1 after epoll_wait and
 * read. Each sample is a cold wake of a thread asleep in epoll_wait. The signaller never sleeps
 * (its own wake-up is never in a sample) and never spins without yielding (a receiver woken on
 * its processor runs at once, not when a spin gives up).
 *
 * Build: gcc -O2 -pthread -o eventfd_latency eventfd_latency.c
 * Run:   ./eventfd_latency [CPU [together]]
 *   CPU: pin the receiver to that processor and the signaller to all others (sched_setaffinity);
 *   with "together", the signaller to that processor too.
 *   Commands on stdin, two native-endian int64 each: COUNT GAP_NS. For each, COUNT samples are
 *   taken and written to stdout as COUNT native-endian int64 latencies (ns), then COUNT int64
 *   flags: 1 where the receiver ran on the processor the signaller wrote from. COUNT 0 or end of
 *   input ends the process.
 *
 * Built with -shared -fPIC -DEVENTFD_LATENCY_LIBRARY, the same loop runs inside another process
 * (InterruptLatency --c-in-jvm true): eventfd_latency_start starts the signaller on a thread of its
 * own and hands back the pipes it is driven through.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

/*
 * One loop's shared state. Its layout is read by InterruptLatency when a Java handler answers this
 * signaller (--native-signaller): t0 at 8, handled at 16, latency at 24, receiver_cpu at 32.
 */
struct loop {
  int efd;
  _Atomic long t0;
  _Atomic long handled;
  long latency;      /* published by the release store of handled */
  int receiver_cpu;  /* likewise; taken after t1, so not in the figure */
};

_Static_assert(offsetof(struct loop, t0) == 8 && offsetof(struct loop, handled) == 16
                   && offsetof(struct loop, latency) == 24
                   && offsetof(struct loop, receiver_cpu) == 32,
               "layout read by InterruptLatency");

static long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static int pin(pthread_t thread, int cpu, int all_but) {
  long processors = sysconf(_SC_NPROCESSORS_ONLN);
  cpu_set_t set;
  CPU_ZERO(&set);
  for (long p = 0; p < processors && p < CPU_SETSIZE; p++) {
    if ((p == cpu) != all_but) {
      CPU_SET(p, &set);
    }
  }
  if (CPU_COUNT(&set) == 0) {
    return 0; /* one processor: the signaller stays where it is */
  }
  return pthread_setaffinity_np(thread, sizeof set, &set);
}

static void *receiver(void *arg) {
  struct loop *l = arg;
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 1};
  if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, l->efd, &ev) != 0) {
    perror("epoll");
    exit(2);
  }
  struct epoll_event ready[8];
  uint64_t count;
  for (;;) {
    if (epoll_wait(ep, ready, 8, -1) <= 0 || read(l->efd, &count, 8) != 8) {
      continue;
    }
    long t1 = now_ns();
    l->latency = t1 - atomic_load(&l->t0);
    l->receiver_cpu = sched_getcpu();
    atomic_store_explicit(&l->handled,
                          atomic_load_explicit(&l->handled, memory_order_relaxed) + 1,
                          memory_order_release);
  }
  return NULL;
}

static int read_fully(FILE *in, void *buffer, size_t length) {
  return fread(buffer, 1, length, in) == length;
}

/*
 * The signaller's loop: commands from in, samples to out. With a receiver, it is started here on
 * the loop's own eventfd; without, l->efd is another's and its handler answers through *l.
 */
static int serve(struct loop *l, int with_receiver, FILE *in, FILE *out_stream, int cpu,
                 int together) {
  if (with_receiver) {
    l->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (l->efd < 0) {
      perror("eventfd");
      return 2;
    }
    pthread_t thread;
    if (pthread_create(&thread, NULL, receiver, l) != 0) {
      return 2;
    }
    if (cpu >= 0 && pin(thread, cpu, 0) != 0) {
      fprintf(stderr, "cannot pin to processor %d\n", cpu);
      return 2;
    }
  }
  if (cpu >= 0 && pin(pthread_self(), cpu, !together) != 0) {
    fprintf(stderr, "cannot pin the signaller (processor %d)\n", cpu);
    return 2;
  }
  int64_t command[2];
  int64_t *out = NULL;
  long capacity = 0;
  uint64_t one = 1;
  long expected = 0;
  while (read_fully(in, command, sizeof command) && command[0] > 0) {
    long samples = command[0];
    long gap = command[1];
    if (samples > capacity) {
      free(out);
      out = malloc(2 * samples * sizeof *out);
      capacity = samples;
      if (out == NULL) {
        return 2;
      }
    }
    for (long i = 0; i < samples; i++) {
      long deadline = now_ns() + gap;
      while (now_ns() < deadline) {
        sched_yield();
      }
      int signaller_cpu = sched_getcpu();
      atomic_store(&l->t0, now_ns()); /* as the Java side's volatile store */
      if (write(l->efd, &one, 8) != 8) {
        perror("write");
        return 2;
      }
      expected++;
      while (atomic_load_explicit(&l->handled, memory_order_acquire) < expected) {
        sched_yield();
      }
      out[i] = l->latency;
      out[samples + i] = l->receiver_cpu == signaller_cpu;
    }
    if (fwrite(out, sizeof *out, 2 * samples, out_stream) != (size_t) (2 * samples)
        || fflush(out_stream) != 0) {
      return 2;
    }
  }
  return 0;
}

#ifndef EVENTFD_LATENCY_LIBRARY
int main(int argc, char **argv) {
  static struct loop l;
  return serve(&l, 1, stdin, stdout, argc > 1 ? atoi(argv[1]) : -1,
               argc > 2 && strcmp(argv[2], "together") == 0);
}
#else
/*
 * The same loop inside another process (a JVM, to tell the process apart from the dispatch path):
 * the signaller runs on a thread started here, reads commands from a pipe and writes samples to
 * another. fds[0] receives the command pipe's write end, fds[1] the sample pipe's read end.
 */
struct serve_args {
  struct loop *loop;
  int with_receiver;
  FILE *in;
  FILE *out;
  int cpu;
  int together;
};

static void *serve_thread(void *arg) {
  struct serve_args *a = arg;
  serve(a->loop, a->with_receiver, a->in, a->out, a->cpu, a->together);
  fclose(a->in);
  fclose(a->out);
  free(a);
  return NULL;
}

static struct loop *start(int with_receiver, int target_fd, int cpu, int together, int *fds) {
  int commands[2], samples[2];
  if (pipe2(commands, O_CLOEXEC) != 0 || pipe2(samples, O_CLOEXEC) != 0) {
    return NULL;
  }
  struct serve_args *a = calloc(1, sizeof *a);
  struct loop *l = calloc(1, sizeof *l); /* lives as long as the process */
  if (a == NULL || l == NULL) {
    return NULL;
  }
  l->efd = target_fd;
  a->loop = l;
  a->with_receiver = with_receiver;
  a->in = fdopen(commands[0], "r");
  a->out = fdopen(samples[1], "w");
  a->cpu = cpu;
  a->together = together;
  pthread_t thread;
  if (a->in == NULL || a->out == NULL || pthread_create(&thread, NULL, serve_thread, a) != 0) {
    return NULL;
  }
  pthread_detach(thread);
  fds[0] = commands[1];
  fds[1] = samples[0];
  return l;
}

/* The whole loop, signaller and receiver, on threads of the calling process. 0, or -1. */
int eventfd_latency_start(int cpu, int together, int *fds) {
  return start(1, -1, cpu, together, fds) != NULL ? 0 : -1;
}

/*
 * The signaller alone, writing to target_fd, whose handler (in the calling process) answers through
 * the loop returned (see struct loop); NULL on failure.
 */
struct loop *eventfd_latency_signaller_start(int target_fd, int cpu, int together, int *fds) {
  return start(0, target_fd, cpu, together, fds);
}
#endif
