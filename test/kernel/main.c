/*
 * hotshim's test kernel: started by `hotshim.efi boot`, it checks from the
 * inside what include/hotshim/protocol.h promises.  One line per check on
 * COM1, a verdict, then QEMU's isa-debug-exit (0 PASS, 1 FAIL).
 *
 * Memory is read through the identity map hotshim built.  Ranges are
 * [first, last] inclusive, so one that ends at 2^64-1 never overflows.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

#include "include/hotshim/protocol.h"

#define COM1 0x3f8
#define COM1_LSR (COM1 + 5)
#define LSR_THR_EMPTY 0x20
#define DEBUG_EXIT_PORT 0xf4 /* QEMU exits with (value << 1) | 1 */

#define PAGE_SIZE 0x1000ul
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define STEP_2M 0x200000ul
#define PTE_PRESENT (1ul << 0)
#define PTE_PS (1ul << 7) /* a 2 MiB leaf at level 2, 1 GiB at level 3 */
#define PTE_ADDR 0x000ffffffffff000ul

#define MAX_ENTRIES 65536ul /* a bigger count is garbage, not a map */
#define PRINT_MAX 200
#define CMDLINE_MAX 4096

/* UEFI memory types and descriptor (UEFI 2.10, 7.2) */
enum {
	EFI_RESERVED, EFI_LOADER_CODE, EFI_LOADER_DATA, EFI_BS_CODE, EFI_BS_DATA,
	EFI_RT_CODE, EFI_RT_DATA, EFI_CONVENTIONAL, EFI_UNUSABLE, EFI_ACPI_RECLAIM,
	EFI_ACPI_NVS, EFI_MMIO, EFI_MMIO_PORT, EFI_PAL_CODE, EFI_PERSISTENT, EFI_TYPES
};

struct efi_desc {
	uint32_t type, pad;
	uint64_t phys, virt, pages, attr;
};

/* ACPI offsets (ACPI 6.5: RSDP 5.2.5, header 5.2.6, SRAT 5.2.16) */
#define RSDP_V1_LEN 20
#define RSDP_REVISION 15
#define RSDP_RSDT 16
#define RSDP_LENGTH 20
#define RSDP_XSDT 24
#define RSDP_MAX_LEN 4096
#define ACPI_HDR_LEN 36
#define ACPI_TABLE_MAX (16ul << 20)
#define SRAT_SUB_START 48
#define SRAT_MEMORY 1
#define SRAT_MEM_LEN 40
#define SRAT_MEM_BASE 8
#define SRAT_MEM_LENGTH 16
#define SRAT_MEM_FLAGS 28
#define SRAT_MEM_ENABLED (1u << 0)
#define SRAT_MEM_HOT_PLUGGABLE (1u << 1)
#define SRAT_MAX_HOT 256

#define MEM(bi, i) (&((const struct hotshim_mem *)(bi)->mem)[i])
#define RES(bi, i) (&((const struct hotshim_reserved *)(bi)->reserved)[i])
#define MOD(bi, i) (&((const struct hotshim_module *)(bi)->modules)[i])

extern char _start[], kernel_start[], kernel_end[]; /* kernel.ld */
extern uint64_t entry_rsp; /* the stack hotshim gave us, saved by entry.S */
void kmain(const struct hotshim_boot_info *bi);

/* --- output -------------------------------------------------------- */

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void putch(char c)
{
	while (!(inb(COM1_LSR) & LSR_THR_EMPTY))
		;
	outb(COM1, (uint8_t)c);
}

/* printf's %s %c %x %u, with l for 64 bits: enough, and gcc checks it. */
static void vsay(const char *fmt, va_list ap)
{
	char buf[20];

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			putch(*fmt);
			continue;
		}
		bool wide = fmt[1] == 'l';
		fmt += wide ? 2 : 1;
		if (*fmt == 's') {
			for (const char *s = va_arg(ap, const char *); *s; s++)
				putch(*s);
		} else if (*fmt == 'c') {
			putch((char)va_arg(ap, int));
		} else if (*fmt == 'x' || *fmt == 'u') {
			uint64_t v = wide ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			unsigned base = *fmt == 'x' ? 16 : 10, n = 0;
			do {
				buf[n++] = "0123456789abcdef"[v % base];
				v /= base;
			} while (v);
			while (n)
				putch(buf[--n]);
		} else if (!*fmt) {
			return;
		}
	}
}

static __attribute__((format(printf, 1, 2))) void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

/* At most PRINT_MAX bytes; what a terminal can't show becomes '?'. */
static void say_string(uint64_t addr)
{
	const volatile char *s = (const volatile char *)addr;

	for (unsigned i = 0; i < PRINT_MAX && s[i]; i++)
		putch(s[i] >= ' ' && s[i] <= '~' ? s[i] : '?');
}

struct run {
	const char *check;  /* the check running */
	const char *note;   /* appended to its ok line */
	const char *failed; /* the first check that failed */
};

static __attribute__((format(printf, 2, 3))) bool fail(struct run *r, const char *fmt, ...)
{
	va_list ap;

	say("hotshim-testkernel: FAIL %s: ", r->check);
	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	say("\n");
	return false;
}

static __attribute__((noreturn)) void finish(const char *failed)
{
	if (failed)
		say("hotshim-testkernel: FAIL %s\n", failed);
	else
		say("hotshim-testkernel: PASS\n");
	outb(DEBUG_EXIT_PORT, failed ? 1 : 0);
	for (;;)
		asm volatile("cli; hlt");
}

/* --- memory and ranges ---------------------------------------------- */

/* Little-endian, any alignment: ACPI tables promise none. */
static uint64_t rd(uint64_t addr, unsigned n)
{
	const volatile uint8_t *p = (const volatile uint8_t *)addr;
	uint64_t v = 0;

	while (n--)
		v |= (uint64_t)p[n] << (8 * n);
	return v;
}

static bool bytes_equal(uint64_t addr, const char *s, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (rd(addr + i, 1) != (uint8_t)s[i])
			return false;
	return true;
}

static uint8_t checksum(uint64_t addr, uint64_t len)
{
	uint8_t sum = 0;

	for (uint64_t i = 0; i < len; i++)
		sum += (uint8_t)rd(addr + i, 1);
	return sum;
}

static uint64_t bounded_strlen(uint64_t s, uint64_t max)
{
	uint64_t n = 0;

	while (n < max && rd(s + n, 1))
		n++;
	return n;
}

/* [base, base + length) as [first, last]; false when empty or wrapping. */
static bool span(uint64_t base, uint64_t length, uint64_t *first, uint64_t *last)
{
	if (!length || length - 1 > UINT64_MAX - base)
		return false;
	*first = base;
	*last = base + (length - 1);
	return true;
}

static bool overlaps(uint64_t a, uint64_t az, uint64_t b, uint64_t bz)
{
	return a <= bz && b <= az;
}

/* What the protocol makes of each UEFI type; anything unlisted: RESERVED. */
static uint32_t type_of_efi(uint32_t t)
{
	static const uint8_t map[EFI_TYPES] = {
		[EFI_LOADER_CODE] = HOTSHIM_MEM_USABLE, [EFI_LOADER_DATA] = HOTSHIM_MEM_USABLE,
		[EFI_BS_CODE] = HOTSHIM_MEM_USABLE, [EFI_BS_DATA] = HOTSHIM_MEM_USABLE,
		[EFI_CONVENTIONAL] = HOTSHIM_MEM_USABLE, [EFI_RT_CODE] = HOTSHIM_MEM_RUNTIME,
		[EFI_RT_DATA] = HOTSHIM_MEM_RUNTIME, [EFI_UNUSABLE] = HOTSHIM_MEM_UNUSABLE,
		[EFI_ACPI_RECLAIM] = HOTSHIM_MEM_ACPI_RECLAIM, [EFI_ACPI_NVS] = HOTSHIM_MEM_ACPI_NVS,
		[EFI_MMIO] = HOTSHIM_MEM_MMIO, [EFI_MMIO_PORT] = HOTSHIM_MEM_MMIO,
		[EFI_PERSISTENT] = HOTSHIM_MEM_PERSISTENT,
	};

	return t < EFI_TYPES && map[t] ? map[t] : HOTSHIM_MEM_RESERVED;
}

/* An array of ranges: the memory map, the reserved map, the EFI map or a
 * list of struct range.  want keeps one type or owner; 0 keeps all. */
enum span_kind { SPAN_MEM, SPAN_RES, SPAN_EFI, SPAN_RANGE };

struct spans {
	enum span_kind kind;
	uint64_t base, count, stride;
	uint32_t want;
};

struct range {
	uint64_t first, last;
};

static bool get(const struct spans *s, uint64_t i, uint64_t *first, uint64_t *last)
{
	const void *p = (const void *)(s->base + i * s->stride);
	const struct hotshim_mem *m = p;
	const struct hotshim_reserved *r = p;
	const struct efi_desc *d = p;
	const struct range *g = p;

	switch (s->kind) {
	case SPAN_MEM:
		return (!s->want || m->type == s->want) && span(m->base, m->length, first, last);
	case SPAN_RES:
		return (!s->want || r->owner == s->want) && span(r->base, r->length, first, last);
	case SPAN_EFI:
		return d->pages <= UINT64_MAX / PAGE_SIZE &&
		       span(d->phys, d->pages * PAGE_SIZE, first, last);
	default:
		*first = g->first;
		*last = g->last;
		return true;
	}
}

/* Is every byte of [first, last] in the union of s, in any order? */
static bool covered(const struct spans *s, uint64_t first, uint64_t last, uint64_t *ret_gap)
{
	uint64_t cur = first, a, z;

	for (;;) {
		bool found = false;
		uint64_t reach = 0;

		for (uint64_t i = 0; i < s->count; i++) {
			if (get(s, i, &a, &z) && a <= cur && cur <= z && (!found || z > reach)) {
				reach = z;
				found = true;
			}
		}
		if (!found) {
			*ret_gap = cur;
			return false;
		}
		if (reach >= last)
			return true;
		cur = reach + 1; /* reach < last: no overflow */
	}
}

static struct spans mem_spans(const struct hotshim_boot_info *bi, uint32_t type)
{
	return (struct spans){ SPAN_MEM, bi->mem, bi->mem_count, sizeof(struct hotshim_mem), type };
}

static uint64_t read_cr3(void)
{
	uint64_t v;

	asm volatile("mov %%cr3, %0" : "=r"(v));
	return v & PTE_ADDR;
}

static struct range gdt_range(void)
{
	struct __attribute__((packed)) { uint16_t limit; uint64_t base; } d;

	asm volatile("sgdt %0" : "=m"(d));
	return (struct range){ d.base, d.base + d.limit };
}

/* --- the memory map and the reserved map ------------------------------ */

/* The header, and arrays that can be walked at all: if either is wrong,
 * nothing after can be trusted, or even read safely. */
static bool check_magic(const struct hotshim_boot_info *bi, struct run *r)
{
	if (!bi)
		return fail(r, "boot info at 0x0");
	if (bi->magic != HOTSHIM_MAGIC || bi->version != HOTSHIM_VERSION || bi->size < sizeof(*bi))
		return fail(r, "magic 0x%lx version %u size 0x%x", bi->magic, bi->version, bi->size);
	if (!bi->mem || !bi->mem_count || bi->mem_count > MAX_ENTRIES ||
	    bi->reserved_count > MAX_ENTRIES || (bi->reserved_count && !bi->reserved) ||
	    bi->node_count > MAX_ENTRIES || (bi->node_count && !bi->nodes) ||
	    bi->module_count > MAX_ENTRIES || (bi->module_count && !bi->modules))
		return fail(r, "arrays mem 0x%lx[%lu] reserved 0x%lx[%lu] nodes 0x%lx[%lu] "
			    "modules 0x%lx[%lu]", bi->mem, bi->mem_count, bi->reserved,
			    bi->reserved_count, bi->nodes, bi->node_count, bi->modules, bi->module_count);
	return true;
}

static bool check_mem_sorted(const struct hotshim_boot_info *bi, struct run *r)
{
	uint64_t a, z, prev = 0;

	for (uint64_t i = 0; i < bi->mem_count; i++) {
		const struct hotshim_mem *e = MEM(bi, i);

		if (!span(e->base, e->length, &a, &z))
			return fail(r, "entry %lu 0x%lx+0x%lx: empty or wraps", i, e->base, e->length);
		if (e->type < HOTSHIM_MEM_USABLE || e->type > HOTSHIM_MEM_MMIO)
			return fail(r, "entry %lu type %u", i, e->type);
		if (i && a <= prev)
			return fail(r, "entry %lu base 0x%lx not above last 0x%lx of the one before",
				    i, a, prev);
		prev = z;
	}
	return true;
}

static bool check_mem_covers_efi(const struct hotshim_boot_info *bi, struct run *r)
{
	uint32_t dsz = bi->efi_desc_size;
	struct spans efi = { SPAN_EFI, bi->efi_memmap, dsz ? bi->efi_memmap_size / dsz : 0, dsz, 0 };
	struct spans mem = mem_spans(bi, 0);
	uint64_t a, z, gap;

	if (!bi->efi_memmap || dsz < sizeof(struct efi_desc) || !efi.count || efi.count > MAX_ENTRIES)
		return fail(r, "EFI map 0x%lx size 0x%lx descriptor size %u", bi->efi_memmap,
			    bi->efi_memmap_size, dsz);
	for (uint64_t i = 0; i < efi.count; i++) {
		const struct efi_desc *d = (const void *)(efi.base + i * dsz);

		if (!d->pages)
			continue;
		if (!get(&efi, i, &a, &z))
			return fail(r, "EFI descriptor %lu 0x%lx+0x%lx pages wraps", i, d->phys, d->pages);
		mem.want = type_of_efi(d->type);
		if (!covered(&mem, a, z, &gap))
			return fail(r, "EFI descriptor %lu type %u [0x%lx-0x%lx]: 0x%lx is in no "
				    "entry of type %u", i, d->type, a, z, gap, mem.want);
	}
	mem.want = 0;
	for (uint64_t i = 0; i < bi->mem_count; i++)
		if (get(&mem, i, &a, &z) && !covered(&efi, a, z, &gap))
			return fail(r, "entry %lu [0x%lx-0x%lx]: 0x%lx is in no EFI descriptor", i, a,
				    z, gap);
	return true;
}

static bool check_reserved(const struct hotshim_boot_info *bi, struct run *r)
{
	struct spans usable = mem_spans(bi, HOTSHIM_MEM_USABLE);
	uint64_t a, z, gap, prev = 0;

	for (uint64_t i = 0; i < bi->reserved_count; i++) {
		const struct hotshim_reserved *e = RES(bi, i);

		if (!span(e->base, e->length, &a, &z))
			return fail(r, "entry %lu 0x%lx+0x%lx: empty or wraps", i, e->base, e->length);
		if (e->owner < HOTSHIM_OWN_KERNEL || e->owner > HOTSHIM_OWN_HOTSHIM)
			return fail(r, "entry %lu owner %u", i, e->owner);
		if (i && a <= prev)
			return fail(r, "entry %lu base 0x%lx not above last 0x%lx of the one before",
				    i, a, prev);
		if (!covered(&usable, a, z, &gap))
			return fail(r, "entry %lu owner %u [0x%lx-0x%lx]: 0x%lx is not USABLE", i,
				    e->owner, a, z, gap);
		prev = z;
	}
	return true;
}

static bool not_hot(const struct hotshim_boot_info *bi, struct run *r, const char *what,
		    uint64_t first, uint64_t last)
{
	uint64_t a, z;

	for (uint64_t i = 0; i < bi->mem_count; i++)
		if ((MEM(bi, i)->flags & HOTSHIM_MEM_HOTPLUG) &&
		    span(MEM(bi, i)->base, MEM(bi, i)->length, &a, &z) && overlaps(first, last, a, z))
			return fail(r, "%s [0x%lx-0x%lx] meets hot-pluggable entry %lu [0x%lx-0x%lx]",
				    what, first, last, i, a, z);
	return true;
}

static bool check_not_hot(const struct hotshim_boot_info *bi, struct run *r)
{
	uint64_t sp = (uint64_t)&sp, bip = (uint64_t)bi & PAGE_MASK, a, z;
	struct range gdt = gdt_range();
	const struct { const char *what; uint64_t first, last; } probe[] = {
		{ "boot info page", bip, bip + PAGE_SIZE - 1 },
		{ "boot info", (uint64_t)bi, (uint64_t)bi + bi->size - 1 },
		{ "stack page", sp & PAGE_MASK, (sp & PAGE_MASK) + PAGE_SIZE - 1 },
		{ "entry stack top", entry_rsp - 16, entry_rsp - 1 },
		{ "_start", (uint64_t)_start, (uint64_t)_start },
		{ ".bss", (uint64_t)&entry_rsp, (uint64_t)&entry_rsp + 7 },
		{ "GDT", gdt.first, gdt.last },
	};

	if (!span(bi->kernel_base, bi->kernel_length, &a, &z))
		return fail(r, "kernel 0x%lx+0x%lx", bi->kernel_base, bi->kernel_length);
	if (!not_hot(bi, r, "kernel", a, z))
		return false;
	for (unsigned i = 0; i < sizeof(probe) / sizeof(probe[0]); i++)
		if (!not_hot(bi, r, probe[i].what, probe[i].first, probe[i].last))
			return false;
	/* all but hotshim's own image, which the firmware put where it put
	 * it, and which is free once the kernel runs */
	for (uint64_t i = 0; i < bi->reserved_count; i++)
		if (RES(bi, i)->owner != HOTSHIM_OWN_HOTSHIM &&
		    span(RES(bi, i)->base, RES(bi, i)->length, &a, &z) &&
		    !not_hot(bi, r, "reserved entry", a, z))
			return false;
	for (uint64_t i = 0; i < bi->module_count; i++)
		if (span(MOD(bi, i)->base, MOD(bi, i)->length, &a, &z) && !not_hot(bi, r, "module", a, z))
			return false;
	return true;
}

static bool owned(const struct hotshim_boot_info *bi, struct run *r, const char *what,
		  uint32_t owner, uint64_t base, uint64_t length)
{
	struct spans res = { SPAN_RES, bi->reserved, bi->reserved_count,
			     sizeof(struct hotshim_reserved), owner };
	uint64_t a, z, gap;

	if (!length)
		return true;
	if (!span(base, length, &a, &z))
		return fail(r, "%s 0x%lx+0x%lx wraps", what, base, length);
	if (!covered(&res, a, z, &gap))
		return fail(r, "%s [0x%lx-0x%lx]: 0x%lx is not reserved for owner %u", what, a, z,
			    gap, owner);
	return true;
}

/* Every placement hotshim made is in the reserved map, with its owner; the
 * boot info's arrays share its allocation (protocol.h, "Layout"). */
static bool check_kernel_reserved(const struct hotshim_boot_info *bi, struct run *r)
{
	uint64_t klen = (uint64_t)(kernel_end - kernel_start);
	struct range gdt = gdt_range();
	const struct { const char *what; uint32_t owner; uint64_t base, length; } own[] = {
		{ "kernel", HOTSHIM_OWN_KERNEL, bi->kernel_base, bi->kernel_length },
		{ "boot info", HOTSHIM_OWN_BOOT_INFO, (uint64_t)bi, bi->size },
		{ "memory map", HOTSHIM_OWN_BOOT_INFO, bi->mem, bi->mem_count * sizeof(struct hotshim_mem) },
		{ "reserved map", HOTSHIM_OWN_BOOT_INFO, bi->reserved,
		  bi->reserved_count * sizeof(struct hotshim_reserved) },
		{ "node table", HOTSHIM_OWN_BOOT_INFO, bi->nodes,
		  bi->node_count * sizeof(struct hotshim_node) },
		{ "module table", HOTSHIM_OWN_BOOT_INFO, bi->modules,
		  bi->module_count * sizeof(struct hotshim_module) },
		{ "EFI map copy", HOTSHIM_OWN_BOOT_INFO, bi->efi_memmap, bi->efi_memmap_size },
		{ "CR3 root", HOTSHIM_OWN_PAGE_TABLES, read_cr3(), PAGE_SIZE },
		{ "entry stack top", HOTSHIM_OWN_STACK, entry_rsp - 16, 16 },
		{ "GDT", HOTSHIM_OWN_STACK, gdt.first, gdt.last - gdt.first + 1 },
		{ "cmdline", HOTSHIM_OWN_CMDLINE, bi->cmdline,
		  bi->cmdline ? bounded_strlen(bi->cmdline, CMDLINE_MAX - 1) + 1 : 0 },
	};

	if (bi->kernel_base != (uint64_t)kernel_start || bi->kernel_length < klen)
		return fail(r, "kernel 0x%lx+0x%lx, linked at 0x%lx+0x%lx", bi->kernel_base,
			    bi->kernel_length, (uint64_t)kernel_start, klen);
	if (entry_rsp % 16)
		return fail(r, "entry RSP 0x%lx is not 16-byte aligned", entry_rsp);
	for (unsigned i = 0; i < sizeof(own) / sizeof(own[0]); i++)
		if (!owned(bi, r, own[i].what, own[i].owner, own[i].base, own[i].length))
			return false;
	for (uint64_t i = 0; i < bi->module_count; i++)
		if (!owned(bi, r, "module", HOTSHIM_OWN_MODULE, MOD(bi, i)->base, MOD(bi, i)->length))
			return false;
	return true;
}

static bool check_cr3(const struct hotshim_boot_info *bi, struct run *r)
{
	if (read_cr3() != bi->cr3)
		return fail(r, "live CR3 0x%lx, boot info says 0x%lx", read_cr3(), bi->cr3);
	return true;
}

/* --- ACPI ----------------------------------------------------------------- */

/* Length of the table at t, or 0 when t cannot be a table. */
static uint64_t table_len(uint64_t t)
{
	uint64_t len = t ? rd(t + 4, 4) : 0;

	return len >= ACPI_HDR_LEN && len <= ACPI_TABLE_MAX ? len : 0;
}

/* The first table with this signature through the XSDT (revision >= 2
 * and present) or else the RSDT; 0 when none. */
static uint64_t find_table(uint64_t rsdp, const char *sig)
{
	unsigned esz = 4;
	uint64_t root, len;

	if (!rsdp || !bytes_equal(rsdp, "RSD PTR ", 8))
		return 0;
	root = rd(rsdp + RSDP_RSDT, 4);
	if (rd(rsdp + RSDP_REVISION, 1) >= 2 && rd(rsdp + RSDP_XSDT, 8)) {
		root = rd(rsdp + RSDP_XSDT, 8);
		esz = 8;
	}
	len = table_len(root);
	for (uint64_t off = ACPI_HDR_LEN; len && off + esz <= len; off += esz) {
		uint64_t t = rd(root + off, esz);

		if (t && bytes_equal(t, sig, 4))
			return t;
	}
	return 0;
}

/* The enabled hot-pluggable memory ranges of an SRAT; -1 past cap. */
static int srat_hot(uint64_t srat, struct range *out, int cap)
{
	uint64_t len = table_len(srat), off = SRAT_SUB_START, sl, a, z;
	int n = 0;

	for (; off + 2 <= len; off += sl) {
		uint64_t p = srat + off, want = SRAT_MEM_ENABLED | SRAT_MEM_HOT_PLUGGABLE;

		sl = rd(p + 1, 1);
		if (sl < 2 || off + sl > len)
			break;
		if (rd(p, 1) != SRAT_MEMORY || sl < SRAT_MEM_LEN ||
		    (rd(p + SRAT_MEM_FLAGS, 4) & want) != want ||
		    !span(rd(p + SRAT_MEM_BASE, 8), rd(p + SRAT_MEM_LENGTH, 8), &a, &z))
			continue;
		if (n == cap)
			return -1;
		out[n++] = (struct range){ a, z };
	}
	return n;
}

/* hotshim follows Linux, which may refuse an SRAT; it then reports no
 * nodes, and nothing may be marked hot-pluggable. */
static bool check_hotplug(const struct hotshim_boot_info *bi, struct run *r)
{
	struct range hot[SRAT_MAX_HOT];
	uint64_t srat = find_table(bi->rsdp, "SRAT"), bytes = 0, a, z, gap;
	int n = 0;

	for (uint64_t i = 0; i < bi->mem_count; i++)
		if (MEM(bi, i)->flags & HOTSHIM_MEM_HOTPLUG)
			bytes += MEM(bi, i)->length;
	say("hotshim-testkernel: hotplug bytes 0x%lx (SRAT at 0x%lx, %lu nodes)\n", bytes, srat,
	    bi->node_count);
	if (srat && (!table_len(srat) || checksum(srat, table_len(srat))))
		return fail(r, "SRAT at 0x%lx: bad length or checksum", srat);
	if (srat && bi->node_count && (n = srat_hot(srat, hot, SRAT_MAX_HOT)) < 0)
		return fail(r, "more than %u hot-pluggable SRAT ranges", SRAT_MAX_HOT);
	struct spans hs = { SPAN_RANGE, (uint64_t)hot, (uint64_t)n, sizeof(hot[0]), 0 };

	for (uint64_t i = 0; i < bi->mem_count; i++) {
		const struct hotshim_mem *e = MEM(bi, i);

		if (!span(e->base, e->length, &a, &z))
			continue;
		if ((e->flags & HOTSHIM_MEM_HOTPLUG) && !covered(&hs, a, z, &gap))
			return fail(r, "entry %lu [0x%lx-0x%lx] is marked, but 0x%lx is in no enabled "
				    "hot-pluggable SRAT range", i, a, z, gap);
		if ((e->flags & HOTSHIM_MEM_HOTPLUG) || e->type != HOTSHIM_MEM_USABLE)
			continue;
		for (int k = 0; k < n; k++)
			if (overlaps(a, z, hot[k].first, hot[k].last))
				return fail(r, "USABLE entry %lu [0x%lx-0x%lx] node %u meets hot-pluggable "
					    "SRAT range [0x%lx-0x%lx], unmarked", i, a, z, e->node,
					    hot[k].first, hot[k].last);
	}
	return true;
}

static bool check_acpi_override(const struct hotshim_boot_info *bi, struct run *r)
{
	uint64_t rsdp = bi->rsdp, xsdt, len, ext, srat = 0;

	if (!(bi->flags & HOTSHIM_BI_ACPI_OVERRIDE)) {
		r->note = "(none)";
		if (rsdp != bi->rsdp_firmware)
			return fail(r, "no override, yet rsdp 0x%lx is not rsdp_firmware 0x%lx", rsdp,
				    bi->rsdp_firmware);
		return true;
	}
	if (!rsdp || rsdp == bi->rsdp_firmware || !bytes_equal(rsdp, "RSD PTR ", 8))
		return fail(r, "rsdp 0x%lx, rsdp_firmware 0x%lx", rsdp, bi->rsdp_firmware);
	ext = rd(rsdp + RSDP_LENGTH, 4);
	if (checksum(rsdp, RSDP_V1_LEN) || rd(rsdp + RSDP_REVISION, 1) < 2 ||
	    ext < ACPI_HDR_LEN || ext > RSDP_MAX_LEN || checksum(rsdp, ext))
		return fail(r, "RSDP at 0x%lx revision %lu length 0x%lx: bad checksum or no XSDT",
			    rsdp, rd(rsdp + RSDP_REVISION, 1), ext);
	xsdt = rd(rsdp + RSDP_XSDT, 8);
	len = table_len(xsdt);
	if (!len || !bytes_equal(xsdt, "XSDT", 4) || checksum(xsdt, len))
		return fail(r, "XSDT at 0x%lx: bad signature, length or checksum", xsdt);
	for (uint64_t off = ACPI_HDR_LEN; off + 8 <= len; off += 8) {
		uint64_t t = rd(xsdt + off, 8), tl = table_len(t);

		if (!tl || checksum(t, tl))
			return fail(r, "table 0x%lx at XSDT+0x%lx: bad length or checksum", t, off);
		if (!srat && bytes_equal(t, "SRAT", 4))
			srat = t;
	}
	if (!srat || srat == find_table(bi->rsdp_firmware, "SRAT"))
		return fail(r, "the XSDT's SRAT 0x%lx is not a new one", srat);
	return true;
}

/* --- page tables ------------------------------------------------------ */

/* Walks the live tables; false when virt is non-canonical or unmapped. */
static bool translate(unsigned levels, uint64_t virt, uint64_t *ret_phys)
{
	unsigned bits = 12 + 9 * levels;
	uint64_t table = read_cr3();

	if ((uint64_t)((int64_t)(virt << (64 - bits)) >> (64 - bits)) != virt)
		return false;
	for (unsigned lvl = levels; lvl >= 1; lvl--) {
		unsigned shift = 12 + 9 * (lvl - 1);
		uint64_t e = rd(table + ((virt >> shift) & 511) * 8, 8);
		uint64_t off = (1ul << shift) - 1; /* a big page's PAT bit 12 falls in here */

		if (!(e & PTE_PRESENT))
			return false;
		if (lvl == 1 || ((lvl == 2 || lvl == 3) && (e & PTE_PS))) {
			*ret_phys = (e & PTE_ADDR & ~off) | (virt & off);
			return true;
		}
		table = e & PTE_ADDR;
	}
	return false;
}

/* Both the identity address and its direct-map alias must land on phys. */
static bool probe(const struct hotshim_boot_info *bi, struct run *r, uint64_t phys,
		  uint64_t *count)
{
	uint64_t virt[2] = { phys, phys + bi->direct_map_offset }, got;

	for (int i = 0; i < 2; i++, (*count)++) {
		if (!translate(bi->paging_levels, virt[i], &got))
			return fail(r, "0x%lx (phys 0x%lx) is not mapped", virt[i], phys);
		if (got != phys)
			return fail(r, "0x%lx maps to 0x%lx, not 0x%lx", virt[i], got, phys);
	}
	return true;
}

static bool check_page_tables(const struct hotshim_boot_info *bi, struct run *r)
{
	uint64_t count = 0, a, z;

	if (bi->paging_levels != 4 && bi->paging_levels != 5)
		return fail(r, "paging_levels %u", bi->paging_levels);
	for (uint64_t i = 0; i < bi->mem_count; i++) {
		uint32_t t = MEM(bi, i)->type;

		if ((t != HOTSHIM_MEM_USABLE && t != HOTSHIM_MEM_ACPI_RECLAIM &&
		     t != HOTSHIM_MEM_ACPI_NVS && t != HOTSHIM_MEM_RUNTIME) ||
		    !span(MEM(bi, i)->base, MEM(bi, i)->length, &a, &z))
			continue;
		/* the first address, every 2 MiB boundary, the last page */
		for (uint64_t p = a;; p = (p + STEP_2M) & ~(STEP_2M - 1)) {
			if (!probe(bi, r, p, &count))
				return false;
			if (z - p < STEP_2M)
				break;
		}
		if (!probe(bi, r, (z & PAGE_MASK) < a ? a : z & PAGE_MASK, &count))
			return false;
	}
	say("hotshim-testkernel: page-tables: %lu addresses checked\n", count);
	return true;
}

/* --- command line and modules ---------------------------------------- */

static bool check_cmdline(const struct hotshim_boot_info *bi, struct run *r)
{
	if (bi->cmdline) {
		say("hotshim-testkernel: cmdline \"");
		say_string(bi->cmdline);
		say("\"\n");
		if (bounded_strlen(bi->cmdline, CMDLINE_MAX) == CMDLINE_MAX)
			return fail(r, "cmdline at 0x%lx: no NUL in %u bytes", bi->cmdline, CMDLINE_MAX);
	}
	for (uint64_t i = 0; i < bi->module_count; i++) {
		const struct hotshim_module *m = MOD(bi, i);

		say("hotshim-testkernel: module %lu ", i);
		if (m->name)
			say_string(m->name);
		else
			say("(no name)");
		say(" base 0x%lx length 0x%lx", m->base, m->length);
		if (!m->base) {
			say("\n");
			return fail(r, "module %lu at 0x0", i);
		}
		say(" head");
		for (uint64_t k = 0; k < 4 && k < m->length; k++) {
			uint64_t b = rd(m->base + k, 1);

			say(" %c%c", "0123456789abcdef"[b >> 4], "0123456789abcdef"[b & 15]);
		}
		say("\n");
	}
	return true;
}

static const struct {
	const char *name;
	bool (*run)(const struct hotshim_boot_info *bi, struct run *r);
} checks[] = {
	{ "memory-map-sorted", check_mem_sorted },
	{ "memory-map-covers-efi", check_mem_covers_efi },
	{ "reserved-inside-usable", check_reserved },
	{ "nothing-hotpluggable", check_not_hot },
	{ "kernel-reserved", check_kernel_reserved },
	{ "cr3", check_cr3 },
	{ "hotplug-equals-srat", check_hotplug },
	{ "acpi-override", check_acpi_override },
	{ "page-tables", check_page_tables },
	{ "cmdline", check_cmdline },
};

/* "hotshim-testkernel.crash" on the command line: a kernel that does not
 * come up, for the boot-counting tests (QEMU exits with 5). */
static void crash_if_asked(const struct hotshim_boot_info *bi)
{
	static const char word[] = "hotshim-testkernel.crash";
	const char *c = (const char *)bi->cmdline;

	for (uint64_t i = 0; c && c[i] && i < CMDLINE_MAX; i++) {
		uint64_t k = 0;
		while (k + 1 < sizeof(word) && c[i + k] == word[k])
			k++;
		if (k + 1 == sizeof(word)) {
			say("hotshim-testkernel: crashing as asked\n");
			outb(DEBUG_EXIT_PORT, 2);
		}
	}
}

void kmain(const struct hotshim_boot_info *bi)
{
	struct run r = { .check = "magic" };

	say("hotshim-testkernel: boot info at 0x%lx\n", (uint64_t)bi);
	if (!check_magic(bi, &r))
		finish("magic");
	crash_if_asked(bi);
	say("hotshim-testkernel: ok magic\n");
	for (unsigned i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		r.check = checks[i].name;
		r.note = 0;
		if (checks[i].run(bi, &r))
			say("hotshim-testkernel: ok %s%s%s\n", r.check, r.note ? " " : "",
			    r.note ? r.note : "");
		else if (!r.failed)
			r.failed = r.check;
	}
	finish(r.failed);
}
