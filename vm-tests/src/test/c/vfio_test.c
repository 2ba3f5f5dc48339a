/*
 * Reference loop: edu interrupts through vfio-pci (type1 container API), MSI or INTx -> eventfd.
 *
 *   vfio_test <bdf> msi|intx <warmup> <raises>
 *   vfio_test <bdf> dma|factorial <iterations>
 *
 * Modes msi and intx: two raise loops of warmup + raises iterations each, the warm-up left out of
 * the latency figures (counted and checked all the same). The first on one thread: each iteration raises an interrupt through BAR0 0x60, blocks in read() on the eventfd, checks
 * that exactly one interrupt was signalled and that the interrupt status register holds exactly
 * the raised value, and acknowledges it (0x64). INTx is AUTOMASKED in vfio-pci: after each
 * interrupt the line stays masked until VFIO_IRQ_SET_ACTION_UNMASK. MSI needs Bus Master Enable
 * (QEMU drops the MSI write otherwise); vfio-pci does not set it, so this program does, and first
 * records what happens without it. The second is the hand-off loop of edu_common.h (a handler
 * thread in epoll_wait on the eventfd, the raising thread asleep on a futex), the shape of
 * udriver's dispatch, with the same checks and unmask.
 *
 * Mode dma: the device's own DMA engine through the (emulated) IOMMU. A page of this process is
 * mapped with VFIO_IOMMU_MAP_DMA; each iteration copies a fresh pattern from it into the device's
 * buffer and back into the other half of the page, each transfer completing with the DMA
 * interrupt (0x100) over MSI, and compares the bytes.
 *
 * Mode factorial: the factorial-completion interrupt over MSI (see uio_test.c).
 */
#include "edu_common.h"

#include <fcntl.h>
#include <libgen.h>
#include <linux/vfio.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PCI_COMMAND         4
#define PCI_COMMAND_MEMORY  0x2
#define PCI_COMMAND_MASTER  0x4

static int dev;
static struct vfio_region_info cfg = { .argsz = sizeof cfg, .index = VFIO_PCI_CONFIG_REGION_INDEX };

static uint16_t command(void) {
    uint16_t cmd;
    if (pread(dev, &cmd, 2, (off_t)(cfg.offset + PCI_COMMAND)) != 2) DIE("pread command");
    return cmd;
}

static void set_command(uint16_t cmd) {
    if (pwrite(dev, &cmd, 2, (off_t)(cfg.offset + PCI_COMMAND)) != 2) DIE("pwrite command");
}

static void set_irqs(uint32_t index, uint32_t flags, uint32_t count, int32_t *efd) {
    char buf[sizeof(struct vfio_irq_set) + sizeof(int32_t)];
    struct vfio_irq_set *s = (struct vfio_irq_set *)buf;
    memset(buf, 0, sizeof buf);
    s->argsz = (uint32_t)(sizeof(struct vfio_irq_set) + (efd ? sizeof(int32_t) : 0));
    s->flags = flags;
    s->index = index;
    s->start = 0;
    s->count = count;
    if (efd) memcpy(s->data, efd, sizeof(int32_t));
    if (ioctl(dev, VFIO_DEVICE_SET_IRQS, s) < 0) DIE("VFIO_DEVICE_SET_IRQS flags 0x%x index %u", flags, index);
}

static void set_irq(uint32_t index, uint32_t flags, int32_t *efd) {
    set_irqs(index, flags, 1, efd);
}

static long idle_events(int efd, int timeout_ms) {
    struct pollfd p = { .fd = efd, .events = POLLIN };
    long events = 0;
    while (poll(&p, 1, timeout_ms) > 0) {
        uint64_t v;
        if (read(efd, &v, 8) != 8) DIE("read eventfd");
        events += (long)v;
    }
    return events;
}

/* Waits up to 2 s for one interrupt; returns the eventfd count (0 on timeout). */
static uint64_t wait_irq(int efd) {
    struct pollfd p = { .fd = efd, .events = POLLIN };
    uint64_t v = 0;
    if (poll(&p, 1, 2000) > 0 && read(efd, &v, 8) != 8) DIE("read eventfd");
    return v;
}

/* One DMA transfer with a completion interrupt; counts into t. */
static void dma_transfer(volatile uint8_t *bar, int efd, struct tally *t, long i, uint64_t src, uint64_t dst,
                         uint32_t len, uint32_t cmd) {
    wr64(bar, EDU_DMA_SRC, src);
    wr64(bar, EDU_DMA_DST, dst);
    wr64(bar, EDU_DMA_COUNT, len);
    uint64_t t0 = now_ns();
    wr64(bar, EDU_DMA_CMD, cmd | EDU_DMA_START | EDU_DMA_IRQ);
    t->raised++;
    uint64_t events = wait_irq(efd);
    t->lat[i] = now_ns() - t0;
    if (events == 0) { t->lost++; fprintf(stderr, "DMA %ld: no interrupt within 2 s\n", i); return; }
    if (events > 1) t->spurious += (long)(events - 1);
    uint32_t st = rd(bar, EDU_IRQ_STATUS);
    if (st == 0) { t->spurious++; return; }
    t->claimed++;
    if (st != EDU_IRQ_DMA || (rd(bar, EDU_DMA_CMD) & EDU_DMA_START)) t->wrong_status++;
    wr(bar, EDU_IRQ_ACK, st);
}

static int run_dma(int container, volatile uint8_t *bar, int efd, long n) {
    const uint64_t iova = 0x100000;   /* inside the device's default 28-bit DMA mask */
    const uint32_t half = 2048;
    uint8_t *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) DIE("mmap page");
    struct vfio_iommu_type1_dma_map map = { .argsz = sizeof map, .vaddr = (uint64_t)(uintptr_t)page,
        .iova = iova, .size = 4096, .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE };
    if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map) < 0) DIE("VFIO_IOMMU_MAP_DMA");

    /* two transfers per iteration: RAM -> device buffer, device buffer -> RAM */
    struct tally t = { .test = "vfio-dma", .lat = calloc((size_t)n * 2, sizeof(uint64_t)) };
    t.idle_events += idle_events(efd, 50);
    uint64_t start = now_ns();
    for (long i = 0; i < n; i++) {
        uint32_t len = 64 + (uint32_t)(i * 97 % (half - 64));
        for (uint32_t b = 0; b < half; b++) { page[b] = (uint8_t)(b * 7 + i * 13 + 1); page[half + b] = 0; }
        dma_transfer(bar, efd, &t, 2 * i, iova, EDU_DMA_BUFFER, len, 0);
        dma_transfer(bar, efd, &t, 2 * i + 1, EDU_DMA_BUFFER, iova + half, len, EDU_DMA_TO_RAM);
        if (memcmp(page, page + half, len) != 0 || page[half + len] != 0) {
            t.wrong_value++;
            fprintf(stderr, "DMA %ld: %u bytes came back different\n", i, len);
        }
    }
    t.elapsed_ns = now_ns() - start;
    t.idle_events += idle_events(efd, 50);
    struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof unmap, .iova = iova, .size = 4096 };
    if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) < 0) DIE("VFIO_IOMMU_UNMAP_DMA");
    printf("INFO dma iova=0x%llx transfers=%ld\n", (unsigned long long)iova, t.raised);
    return report(&t);
}

static int run_factorial(volatile uint8_t *bar, int efd, long n) {
    struct tally t = { .test = "vfio-msi-factorial", .lat = calloc((size_t)n, sizeof(uint64_t)) };
    wr(bar, EDU_STATUS, EDU_STATUS_IRQ_FACT);
    t.idle_events += idle_events(efd, 50);
    uint64_t start = now_ns();
    for (long i = 0; i < n; i++) {
        uint32_t operand = (uint32_t)(i % 21);
        uint64_t t0 = now_ns();
        wr(bar, EDU_FACTORIAL, operand);
        t.raised++;
        uint64_t events = wait_irq(efd);
        t.lat[i] = now_ns() - t0;
        if (events == 0) { t.lost++; fprintf(stderr, "factorial %u: no interrupt\n", operand); continue; }
        if (events > 1) t.spurious += (long)(events - 1);
        uint32_t st = rd(bar, EDU_IRQ_STATUS);
        if (st == 0) { t.spurious++; continue; }
        t.claimed++;
        if (st != EDU_IRQ_FACT || (rd(bar, EDU_STATUS) & EDU_STATUS_COMPUTING)) t.wrong_status++;
        if (rd(bar, EDU_FACTORIAL) != factorial(operand)) t.wrong_value++;
        wr(bar, EDU_IRQ_ACK, st);
    }
    t.elapsed_ns = now_ns() - start;
    wr(bar, EDU_STATUS, 0);
    t.idle_events += idle_events(efd, 50);
    return report(&t);
}

static long vfio_take(struct handoff *h) {
    uint64_t events;
    if (read(h->fd, &events, 8) != 8) DIE("read eventfd");
    return (long)events;
}

static void vfio_unmask(struct handoff *h) {
    (void)h;
    set_irq(VFIO_PCI_INTX_IRQ_INDEX, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK, NULL);
}

static void vfio_no_rearm(struct handoff *h) {
    (void)h;
}

static long vfio_idle(struct handoff *h) {
    return idle_events(h->fd, 50);
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: %s <bdf> msi|intx <warmup> <raises> | %s <bdf> dma|factorial <iterations>\n", argv[0], argv[0]);
        return 2;
    }
    const char *bdf = argv[1];
    int intx = strcmp(argv[2], "intx") == 0, dma = strcmp(argv[2], "dma") == 0;
    int fact = strcmp(argv[2], "factorial") == 0;
    if (!intx && !dma && !fact && strcmp(argv[2], "msi") != 0) {
        fprintf(stderr, "mode must be msi, intx, dma or factorial\n");
        return 2;
    }
    if (argc != ((dma || fact) ? 4 : 5)) { fprintf(stderr, "wrong argument count for %s\n", argv[2]); return 2; }
    long warmup = argc == 5 ? atol(argv[3]) : 0;
    long n = warmup + atol(argv[argc - 1]);

    char path[256], link[256];
    snprintf(path, sizeof path, "/sys/bus/pci/devices/%s/iommu_group", bdf);
    ssize_t len = readlink(path, link, sizeof link - 1);
    if (len < 0) DIE("readlink %s (no IOMMU group: is the vIOMMU on?)", path);
    link[len] = 0;
    snprintf(path, sizeof path, "/dev/vfio/%s", basename(link));

    int container = open("/dev/vfio/vfio", O_RDWR);
    if (container < 0) DIE("open /dev/vfio/vfio");
    if (ioctl(container, VFIO_GET_API_VERSION) != VFIO_API_VERSION) DIE("VFIO API version");
    int group = open(path, O_RDWR);
    if (group < 0) DIE("open %s", path);
    struct vfio_group_status gs = { .argsz = sizeof gs };
    if (ioctl(group, VFIO_GROUP_GET_STATUS, &gs) < 0) DIE("VFIO_GROUP_GET_STATUS");
    if (!(gs.flags & VFIO_GROUP_FLAGS_VIABLE)) { fprintf(stderr, "group %s not viable\n", path); return 2; }
    if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container) < 0) DIE("VFIO_GROUP_SET_CONTAINER");
    if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) < 0) DIE("VFIO_SET_IOMMU");
    dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, bdf);
    if (dev < 0) DIE("VFIO_GROUP_GET_DEVICE_FD %s", bdf);

    struct vfio_device_info di = { .argsz = sizeof di };
    if (ioctl(dev, VFIO_DEVICE_GET_INFO, &di) < 0) DIE("VFIO_DEVICE_GET_INFO");
    struct vfio_region_info bar0 = { .argsz = sizeof bar0, .index = VFIO_PCI_BAR0_REGION_INDEX };
    if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &bar0) < 0) DIE("REGION_INFO bar0");
    if (ioctl(dev, VFIO_DEVICE_GET_REGION_INFO, &cfg) < 0) DIE("REGION_INFO config");
    uint32_t index = intx ? VFIO_PCI_INTX_IRQ_INDEX : VFIO_PCI_MSI_IRQ_INDEX;
    struct vfio_irq_info ii = { .argsz = sizeof ii, .index = index };
    if (ioctl(dev, VFIO_DEVICE_GET_IRQ_INFO, &ii) < 0) DIE("GET_IRQ_INFO");
    printf("INFO device_flags=0x%x regions=%u irqs=%u bar0_size=0x%llx bar0_flags=0x%x irq_count=%u irq_flags=0x%x\n",
           di.flags, di.num_regions, di.num_irqs, (unsigned long long)bar0.size, bar0.flags, ii.count, ii.flags);
    if (ii.count < 1) { fprintf(stderr, "no %s interrupt\n", argv[2]); return 2; }

    volatile uint8_t *bar = mmap(NULL, bar0.size, PROT_READ | PROT_WRITE, MAP_SHARED, dev, (off_t)bar0.offset);
    if (bar == MAP_FAILED) DIE("mmap bar0");

    /* memory decoding on, bus mastering off until the MSI probe below is done */
    set_command((uint16_t)((command() | PCI_COMMAND_MEMORY) & ~PCI_COMMAND_MASTER));
    check_id(bar);
    wr(bar, EDU_IRQ_ACK, rd(bar, EDU_IRQ_STATUS));

    int efd = eventfd(0, EFD_CLOEXEC);
    if (efd < 0) DIE("eventfd");
    set_irq(index, VFIO_IRQ_SET_DATA_EVENTFD | VFIO_IRQ_SET_ACTION_TRIGGER, &efd);

    const char *without_bme = "n/a";
    if (dma || fact) {
        set_command(command() | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
        return dma ? run_dma(container, bar, efd, n) : run_factorial(bar, efd, n);
    }
    if (!intx) {
        /* MSI without Bus Master Enable: the device's MSI write is dropped */
        wr(bar, EDU_IRQ_RAISE, 0x1000u);
        long got = idle_events(efd, 200);
        wr(bar, EDU_IRQ_ACK, rd(bar, EDU_IRQ_STATUS));
        without_bme = got ? "delivered" : "none";
    }
    set_command(command() | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);

    struct tally t = { .test = intx ? "vfio-intx" : "vfio-msi", .warmup = warmup, .lat = calloc((size_t)n, sizeof(uint64_t)) };
    t.idle_events += idle_events(efd, 50);
    uint64_t start = now_ns();
    for (long i = 0; i < n; i++) {
        if (i == warmup) start = now_ns();
        uint32_t v = raise_value(i);
        uint64_t events, t0 = now_ns();
        wr(bar, EDU_IRQ_RAISE, v);
        if (read(efd, &events, 8) != 8) DIE("read eventfd");
        t.lat[i] = now_ns() - t0;
        t.raised++;
        if (events > 1) t.spurious += (long)(events - 1);
        uint32_t st = rd(bar, EDU_IRQ_STATUS);
        if (st == 0) { t.spurious++; } else { t.claimed++; if (st != v) t.wrong_status++; }
        wr(bar, EDU_IRQ_ACK, st);
        if (rd(bar, EDU_IRQ_STATUS) != 0) t.wrong_status++;
        if (intx) set_irq(index, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_UNMASK, NULL);
    }
    t.elapsed_ns = now_ns() - start;
    t.idle_events += idle_events(efd, 50);
    int rc = report(&t);
    struct handoff h = { .bar = bar, .fd = efd, .take = vfio_take, .rearm = intx ? vfio_unmask : vfio_no_rearm,
                         .idle = vfio_idle };
    if (handoff_loop(&h, intx ? "vfio-intx-handoff" : "vfio-msi-handoff",
                     intx ? "vfio-intx-handoff-return" : "vfio-msi-handoff-return", warmup, n) != 0) rc = 1;
    set_irqs(index, VFIO_IRQ_SET_DATA_NONE | VFIO_IRQ_SET_ACTION_TRIGGER, 0, NULL);   /* disable */
    printf("INFO msi_without_bus_master=%s\n", without_bme);
    return rc;
}
