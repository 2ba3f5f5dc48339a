package dev.udriver.vm;

/**
 * Register map of QEMU's {@code edu} device (PCI 1234:11e8, revision 0x10), BAR0, 1 MiB of MMIO.
 *
 * <p>Checked against QEMU's {@code hw/misc/edu.c} and {@code docs/specs/edu.rst}. Registers below
 * 0x80 accept only 4-byte accesses (other sizes read as all ones and writes are ignored); the DMA
 * registers from 0x80 accept 4 or 8 bytes.
 *
 * <h2>Interrupts</h2>
 * One source, two delivery modes: INTx (pin A, level) by default, MSI (one vector, 64-bit, no
 * per-vector mask) once the OS enables it. No MSI-X. Anything written to {@link #IRQ_RAISE} is
 * ORed into {@link #IRQ_STATUS}; while that register is non-zero the line is asserted, or with MSI
 * every raise sends one message. Writing bits to {@link #IRQ_ACK} clears them; the line drops when
 * the status reaches zero. The device itself raises {@link #IRQ_FACTORIAL} when a factorial
 * finishes with {@link #STATUS_IRQ_ON_FACTORIAL} set, and {@link #IRQ_DMA} when a DMA with
 * {@link #DMA_CMD_IRQ} finishes. The ISR must acknowledge under MSI too.
 *
 * <h2>Factorial protocol</h2>
 * Set {@link #STATUS_IRQ_ON_FACTORIAL} in {@link #STATUS} (it stays set), write n to
 * {@link #FACTORIAL}; the device sets {@link #STATUS_COMPUTING}, computes n! in 32-bit unsigned
 * arithmetic (wrapping for n &gt; 12) on a separate thread, stores it in {@link #FACTORIAL}, clears
 * {@link #STATUS_COMPUTING} and only then raises {@link #IRQ_FACTORIAL}. A write to
 * {@link #FACTORIAL} while computing is ignored. Reading {@link #FACTORIAL} before completion
 * returns the operand.
 *
 * <h2>DMA</h2>
 * A 4096-byte buffer inside the device at device address {@link #DMA_BUFFER}; source, destination
 * and count registers, then {@link #DMA_COMMAND} with {@link #DMA_CMD_START}. The transfer runs on a
 * 100 ms virtual-clock timer; {@link #DMA_COMMAND} bit 0 reads 1 until it is done. The device masks
 * bus addresses with its {@code dma_mask} property (28 bits by default). Older QEMUs (such as 7.2)
 * abort the whole emulator ({@code hw_error}) on a transfer outside the buffer window; newer ones log.
 * Under vfio-pci the bus address is an IOVA mapped with {@code VFIO_IOMMU_MAP_DMA} (the guest test
 * maps a user page at 0x100000 and copies both ways, each transfer ending with {@link #IRQ_DMA}
 * about 100 ms later; bus mastering must be on).
 *
 * <h2>No reset</h2>
 * vfio-pci reports no reset capability for edu: {@code VFIO_DEVICE_RESET} is unavailable.
 */
public final class EduRegisters {
    private EduRegisters() {}

    public static final int VENDOR_ID = 0x1234;
    public static final int DEVICE_ID = 0x11e8;
    public static final long BAR0_SIZE = 1L << 20;

    /** RO: identification {@code 0xRRrr00ed} (major, minor version); QEMU 7.2 to 10 report 0x010000ed. */
    public static final long ID = 0x00;
    /** Low 16 bits of {@link #ID}. */
    public static final int ID_MAGIC = 0x00ed;
    /** RW: liveness check; reads back the bitwise inverse of the last value written. */
    public static final long LIVENESS = 0x04;
    /** RW: write n to start n!; read the result once {@link #STATUS_COMPUTING} is clear. */
    public static final long FACTORIAL = 0x08;
    /** RW: status; bit 0 RO computing, bit 7 RW raise {@link #IRQ_FACTORIAL} after a factorial. */
    public static final long STATUS = 0x20;
    public static final int STATUS_COMPUTING = 0x01;
    public static final int STATUS_IRQ_ON_FACTORIAL = 0x80;
    /** RO: the ORed values of pending interrupts. */
    public static final long IRQ_STATUS = 0x24;
    /** WO: ORs the value into {@link #IRQ_STATUS} and raises the interrupt. */
    public static final long IRQ_RAISE = 0x60;
    /** WO: clears the written bits from {@link #IRQ_STATUS}; INTx drops when it reaches 0. */
    public static final long IRQ_ACK = 0x64;
    /** Interrupt status bit set by a finished factorial. */
    public static final int IRQ_FACTORIAL = 0x00000001;
    /** Interrupt status bit set by a finished DMA with {@link #DMA_CMD_IRQ}. */
    public static final int IRQ_DMA = 0x00000100;

    /** RW (4 or 8 bytes): DMA source address. */
    public static final long DMA_SOURCE = 0x80;
    /** RW (4 or 8 bytes): DMA destination address. */
    public static final long DMA_DESTINATION = 0x88;
    /** RW (4 or 8 bytes): DMA byte count. */
    public static final long DMA_COUNT = 0x90;
    /** RW (4 or 8 bytes): DMA command. */
    public static final long DMA_COMMAND = 0x98;
    public static final int DMA_CMD_START = 0x1;
    /** Direction bit: 0 = from RAM to the device buffer, 1 = from the device buffer to RAM. */
    public static final int DMA_CMD_TO_RAM = 0x2;
    public static final int DMA_CMD_IRQ = 0x4;
    /** Device-side address of the 4096-byte DMA buffer. */
    public static final long DMA_BUFFER = 0x40000;
    public static final int DMA_BUFFER_SIZE = 4096;

    /** n! as the device computes it: 32-bit unsigned, wrapping. */
    public static int factorial(int n) {
        int r = 1;
        for (int i = n; i > 0; i--) {
            r *= i;
        }
        return r;
    }
}
