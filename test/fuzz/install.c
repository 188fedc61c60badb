/*
 * libFuzzer: any bytes as hotshim-install reads them (tools/host/): a disk
 * (the partition table, as 512-byte sectors), a Boot#### variable, the
 * manifest, a command line and a /boot file name.  A manifest read back
 * must print and read back the same, with every path inside the ESP; what
 * is accepted must fit its limits.
 */
#include <string.h>

#include "tools/host/gpt.h"
#include "tools/host/instplan.h"
#include "tools/host/loadopt.h"

static int mem_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	const struct hs_view *v = ctx;
	if (!hs_view_has(*v, off, len))
		return -5;
	memcpy(buf, v->data + off, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_view v = { data, size };
	struct hs_err err = { "" };

	struct disk_reader d = { mem_read, &v, 512, size };
	struct part_info p;
	for (unsigned n = 1; n <= 2; n++)
		if (part_read(&d, n, &p, &err) == 0 && p.number != n)
			__builtin_trap();

	struct load_option o;
	if (loadopt_parse(v, &o, &err) == 0 &&
	    (strlen(o.desc) >= LOADOPT_MAX_TEXT || strlen(o.file) >= LOADOPT_MAX_TEXT))
		__builtin_trap();

	static struct inst_manifest m, m2;
	static char text[(INST_MAX_FILES + INST_MAX_DIRS) * (INST_PATH + 8) + 512];
	if (inst_manifest_parse((const char *)data, size, &m, &err) == 0) {
		for (size_t i = 0; i < m.nfiles; i++)
			if (!inst_path_ok(m.files[i]))
				__builtin_trap();
		for (size_t i = 0; i < m.ndirs; i++)
			if (!inst_path_ok(m.dirs[i]))
				__builtin_trap();
		size_t n = inst_manifest_print(&m, text, sizeof(text));
		if (n >= sizeof(text) || inst_manifest_parse(text, n, &m2, &err) != 0 ||
		    memcmp(&m, &m2, sizeof(m)))
			__builtin_trap();
	}

	char s[2048], c[INST_CMDLINE + 1], ver[INST_VERSION];
	size_t k = size < sizeof(s) - 1 ? size : sizeof(s) - 1;
	memcpy(s, data, k);
	s[k] = '\0';
	for (int etc = 0; etc < 2; etc++)
		if (inst_cmdline(s, etc, s, c, sizeof(c), &err) == 0 && strlen(c) > INST_CMDLINE)
			__builtin_trap();
	if (inst_kernel_version(s, ver, sizeof(ver)) && (strchr(ver, '/') || strlen(ver) >= INST_VERSION))
		__builtin_trap();
	return 0;
}
