/*
 * `hotshim.efi boot kernel=\vmlinuz`: a Linux bzImage entered through the
 * x86 boot protocol's 64-bit entry point, with everything placed outside
 * hot-pluggable memory and an e820 table and EFI map that say what Linux
 * needs to keep hot-pluggable nodes movable.
 */
#include "boot.h"
#include "loaderif.h"
#include "tpm.h"

/* The zero page before the exit: setup header, command line, initrd,
 * RSDP, framebuffer. */
static void fill_params(struct boot *b, struct lx_params *lp)
{
	const struct plan *p = &b->plan;
	struct hs_view kf = { (const uint8_t *)(UINTN)b->in.kernel.addr, b->in.kernel.size };
	struct lx_fb fb;
	struct efi_fb gop;

	*lp = (struct lx_params){
		.cmdline = boot_piece(b, p->cmdline),
		.initrd = b->in.nmod ? boot_piece(b, p->mod[0]) : 0,
		.initrd_size = b->in.nmod ? b->in.module[0].size : 0,
		.rsdp = b->rsdp, .efi_systab = (uint64_t)(UINTN)ST,
		.secure_boot = efi_secure_boot() ? LX_SECURE_BOOT_ENABLED : LX_SECURE_BOOT_DISABLED,
	};
	if (efi_framebuffer(&gop)) {
		fb = (struct lx_fb){ gop.base, gop.size, gop.width, gop.height, gop.pitch, gop.bpp,
				     { gop.pos[0], gop.pos[1], gop.pos[2], gop.pos[3] },
				     { gop.len[0], gop.len[1], gop.len[2], gop.len[3] } };
		lp->fb = &fb;
	}
	lx_boot_params((uint8_t *)(UINTN)boot_piece(b, p->info), kf, &b->in.k.lx, lp);
	lp->fb = NULL; /* written; fb ends here */
}

/* After ExitBootServices: boot-services memory handed over by the one
 * rule (core/handover.h), e820 from the final map, setup_data for the
 * entries past 128.  No firmware call, no allocation. */
static void finish_params(struct boot *b, struct lx_params *lp, uint8_t *map, UINTN size,
			  UINTN dsize, UINT32 dver)
{
	const struct plan_layout *l = &b->plan.layout;
	uint64_t bpb = boot_piece(b, b->plan.info);
	struct lx_e820 *e820 = (void *)(UINTN)(bpb + l->off_e820);
	size_t ne820;

	size = handover_split_logo(map, size, l->map_cap, dsize, &b->handover);
	handover_apply(map, size, dsize, &b->handover);
	if (lx_e820_from_efi((struct hs_view){ map, size }, dsize, e820, l->ndesc, &ne820) < 0)
		boot_die_after_exit("hotshim: the final memory map does not convert to e820");
	lp->efi_map = (uint64_t)(UINTN)map;
	lp->efi_map_size = size;
	lp->efi_desc_size = dsize;
	lp->efi_desc_version = dver;
	lp->e820 = e820;
	lp->e820_count = ne820;
	if (lx_e820_ext((uint8_t *)(UINTN)(bpb + l->off_ext), e820, ne820))
		lp->setup_data = bpb + l->off_ext;
	lx_set_memory((uint8_t *)(UINTN)bpb, lp);
}

EFI_STATUS efi_boot_linux(struct boot *b, const struct cli *c)
{
	const struct plan *p = &b->plan;
	const struct lx_kernel *k = &b->in.k.lx;
	struct lx_params lp;
	struct pt pt;
	EFI_STATUS st;

	if (EFI_ERROR((st = boot_prepare(b, c, &pt))))
		return st;
	/* measured last, once nothing can refuse the boot any more; under
	 * Secure Boot, verify() had shim or the firmware measure the kernel */
	bool tpm = tpm_present(), measured = false, log = false;
	if (tpm) {
		measured = (b->sv.secure_boot ||
			    tpm_measure_image(b->out, b->image, (void *)(UINTN)b->in.kernel.addr,
					      b->in.kernel.size)) &
			   tpm_measure_linux(b->out, b->cmdline,
					     b->in.nmod ? (void *)(UINTN)b->in.module[0].addr : NULL,
					     b->in.nmod ? b->in.module[0].size : 0);
		log = tpm_log_for_linux(b);
	}
	uint64_t kbase = boot_piece(b, p->kernel), stack = boot_piece(b, p->stack);
	CopyMem((void *)(UINTN)kbase, (void *)(UINTN)(b->in.kernel.addr + k->kernel_off),
		k->kernel_size);
	const void *gdtr = boot_gdt(stack, true);
	fill_params(b, &lp);
	char line[200] = "";
	if (c->quiet)
		plan_summary(p, b->eff, line, sizeof(line));
	boot_say_pins(b, c->quiet);
	char took[24];
	loader_elapsed(b->clock, took, sizeof(took));
	hs_println(b->out, "hotshim: %s%s%zu page-table pages, entry %#llx%s%s%s; exiting boot "
		   "services after %s", line, line[0] ? "; " : "", pt.pages,
		   (unsigned long long)(kbase + LX_ENTRY64_OFFSET),
		   b->override ? ", rebuilt RSDP with the override" : "",
		   b->movable ? ", movable_node" : "", measured && log ? ", measured" : "", took);
	inputs_free(&b->in);
	uint8_t *map = (uint8_t *)(UINTN)(boot_piece(b, p->info) + p->layout.off_map);
	UINTN size, dsize;
	UINT32 dver;
	if (EFI_ERROR((st = boot_exit(b, map, p->layout.map_cap, &size, &dsize, &dver)))) {
		if (log)
			tpm_log_withdraw();
		return st;
	}
	finish_params(b, &lp, map, size, dsize, dver);
	hs_handoff_linux(pt.root, gdtr, kbase + LX_ENTRY64_OFFSET, boot_piece(b, p->info),
			 stack + PLAN_STACK_LINUX, p->pt.nx);
}
