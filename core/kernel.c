#include "kernel.h"

#define MOVABLE_NODE "movable_node"

void kernel_default(struct kernel *ret)
{
	hs_memset(ret, 0, sizeof(*ret));
	ret->kind = KERNEL_LINUX;
	ret->assumed = true;
	ret->lx = (struct lx_kernel){
		.version = 0x020f, .init_size = KERNEL_DEFAULT_INIT_SIZE, .alignment = 2ull << 20,
		.relocatable = true, .above_4g = true, .la57 = true,
		.pref_address = KERNEL_DEFAULT_PREF_ADDRESS,
		.cmdline_size = 2047, .initrd_addr_max = 0x7fffffff,
	};
}

/* What a file that is no kernel hotshim can start looks like. */
static void what_it_is(struct hs_view f, char *buf, size_t cap)
{
	const uint8_t *d = f.data;

	if (f.len == 0)
		hs_snprintf(buf, cap, "an empty file");
	else if (f.len >= 2 && d[0] == 'M' && d[1] == 'Z')
		hs_snprintf(buf, cap, "a PE/COFF image (\"MZ\") without a Linux setup header: an EFI "
				      "application, not a bzImage");
	else if (f.len >= 2 && d[0] == 0x1f && d[1] == 0x8b)
		hs_snprintf(buf, cap, "gzip-compressed data (a compressed kernel or initrd?)");
	else if (f.len >= 6 && !hs_memcmp(d, "070701", 6))
		hs_snprintf(buf, cap, "a cpio archive (an initrd?)");
	else {
		size_t n = HS_MIN(f.len, (size_t)256), text = 0;
		for (size_t i = 0; i < n; i++)
			text += (d[i] >= 0x20 && d[i] < 0x7f) || d[i] == '\n' || d[i] == '\r' ||
				d[i] == '\t';
		if (text == n)
			hs_snprintf(buf, cap, "text");
		else
			hs_snprintf(buf, cap, "of an unknown format (first bytes %02x %02x %02x %02x)",
				    d[0], f.len > 1 ? d[1] : 0, f.len > 2 ? d[2] : 0,
				    f.len > 3 ? d[3] : 0);
	}
}

int kernel_identify(struct hs_view f, uint64_t direct_map, struct kernel *ret, struct hs_err *err)
{
	hs_memset(ret, 0, sizeof(*ret));
	if (hs_view_has(f, LX_HDR_HEADER, 4) && !hs_memcmp(f.data + LX_HDR_HEADER, "HdrS", 4)) {
		ret->kind = KERNEL_LINUX;
		return lx_parse(f, &ret->lx, err);
	}
	if (hs_view_has(f, 0, 4) && !hs_memcmp(f.data, "\177ELF", 4)) {
		ret->kind = KERNEL_ELF;
		return elf_parse(f, direct_map, &ret->elf, err);
	}
	char what[120];
	what_it_is(f, what, sizeof(what));
	hs_err_set(err, "neither a bzImage nor an ELF kernel: %s", what);
	return -HS_EINVAL;
}

int kernel_check(const struct kernel *k, const struct kernel_ctx *x, struct hs_err *err)
{
	if (k->kind == KERNEL_ELF && x->secure_boot) {
		hs_err_set(err, "Secure Boot is on and the firmware cannot verify an ELF kernel: "
				"refusing %s", x->path);
		return -HS_EACCES;
	}
	if (x->ask_la57 && !x->firmware_la57) {
		hs_err_set(err, "--la57: the firmware runs with 4-level paging, and long mode cannot "
				"switch levels");
		return -HS_ENOTSUP;
	}
	if (k->kind != KERNEL_LINUX)
		return 0;
	if (x->firmware_la57 && !k->lx.la57) {
		hs_err_set(err, "kernel %s: the firmware runs with 5-level paging and this kernel "
				"cannot enter that way (XLF_5LEVEL is clear)", x->path);
		return -HS_ENOTSUP;
	}
	if (x->modules) {
		hs_err_set(err, "a bzImage takes one initrd=, not module=");
		return -HS_EINVAL;
	}
	return 0;
}

/* Is word a blank-separated word of line? */
static bool has_word(const char *line, const char *word)
{
	size_t n = hs_strlen(word);

	for (const char *p = line; *p;) {
		while (*p == ' ')
			p++;
		const char *q = p;
		while (*q && *q != ' ')
			q++;
		if ((size_t)(q - p) == n && !hs_memcmp(p, word, n))
			return true;
		p = q;
	}
	return false;
}

int kernel_cmdline(const struct kernel *k, const char *user, bool hotplug, bool no_movable_node,
		   char *buf, size_t cap, bool *ret_movable, struct hs_err *err)
{
	bool movable = k->kind == KERNEL_LINUX && hotplug && !no_movable_node &&
		       !has_word(user, MOVABLE_NODE);
	size_t n = hs_snprintf(buf, cap, "%s%s%s", user, movable && user[0] ? " " : "",
			       movable ? MOVABLE_NODE : "");

	if (n >= cap || (k->kind == KERNEL_LINUX && k->lx.cmdline_size && n > k->lx.cmdline_size)) {
		hs_err_set(err, "the command line is %zu bytes; this kernel takes %u", n,
			   k->kind == KERNEL_LINUX && k->lx.cmdline_size ? k->lx.cmdline_size
									  : (unsigned)cap - 1);
		return -HS_E2BIG;
	}
	*ret_movable = movable;
	return 0;
}
