/* Tests tools/host/instplan.c: what hotshim-install puts on the ESP. */
/* links: tools/host/instplan.c core/entries.c lib/fmt.c */
#include "test/unit/helpers.h"
#include "tools/host/instplan.h"

static void test_kernel_names(void **state)
{
	char v[INST_VERSION];

	assert_true(inst_kernel_version("vmlinuz-6.1.0-28-amd64", v, sizeof(v)));
	assert_string_equal(v, "6.1.0-28-amd64");
	assert_true(inst_kernel_version("vmlinuz-6.12.3+deb13-cloud-amd64", v, sizeof(v)));
	assert_string_equal(v, "6.12.3+deb13-cloud-amd64");
	static const char *const no[] = {
		"vmlinuz", "vmlinuz-", "vmlinux-6.1", "initrd.img-6.1.0-28-amd64", "config-6.1.0",
		"vmlinuz-6.1.0-28-amd64.dpkg-tmp", "vmlinuz-6.1.0-28-amd64.dpkg-new",
		"vmlinuz-6.1.0-28-amd64.bak", "vmlinuz-6.1.0-28-amd64.old", "vmlinuz-6.1~",
		"vmlinuz-a b", "vmlinuz-a\tb", "vmlinuz-a\"b", "vmlinuz-a\\b", "vmlinuz-.hidden",
		"vmlinuz-\x7f", "vmlinuz-\xc3\xa9",
	};
	for (size_t i = 0; i < HS_ARRAY_SIZE(no); i++)
		assert_false(inst_kernel_version(no[i], v, sizeof(v)));
	char longname[200] = "vmlinuz-";
	memset(longname + 8, 'a', INST_VERSION);
	assert_false(inst_kernel_version(longname, v, sizeof(v)));
	longname[8 + INST_VERSION - 1] = '\0';
	assert_true(inst_kernel_version(longname, v, sizeof(v)));
}

static void test_cmdline(void **state)
{
	char c[INST_CMDLINE + 1];
	struct hs_err err = { "" };

	/* /etc/kernel/cmdline: words joined, '#' lines skipped */
	assert_int_equal(inst_cmdline("# for hotshim\nroot=UUID=1234  ro\n\n  quiet\tsplash\n"
				      "  # indented comment\nfoo=\"a b\"\n",
				      true, NULL, c, sizeof(c), &err), 0);
	assert_string_equal(c, "root=UUID=1234 ro quiet splash foo=\"a b\"");
	assert_int_equal(inst_cmdline("", true, NULL, c, sizeof(c), &err), 0);
	assert_string_equal(c, "");
	/* the running kernel's, without the loader's words */
	assert_int_equal(inst_cmdline(NULL, false,
				      "BOOT_IMAGE=/vmlinuz-6.1.0-28-amd64 root=/dev/sda2 ro "
				      "initrd=\\initrd.img dyndbg=\"file x +p\" quiet\n",
				      c, sizeof(c), &err), 0);
	assert_string_equal(c, "root=/dev/sda2 ro dyndbg=\"file x +p\" quiet");
	/* too long for hotshim's options line */
	char big[1200];
	memset(big, 'x', sizeof(big));
	big[600] = ' ';
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(inst_cmdline(NULL, false, big, c, sizeof(c), &err), -HS_E2BIG);
	assert_string_equal(err.msg, "/proc/cmdline is longer than 1000 bytes: write the entries' "
				     "command line in /etc/kernel/cmdline");
	assert_int_equal(inst_cmdline(big, true, NULL, c, sizeof(c), &err), -HS_E2BIG);
	assert_string_equal(err.msg, "/etc/kernel/cmdline: a line longer than 1000 bytes");
	big[600] = '\n';
	assert_int_equal(inst_cmdline(big, true, NULL, c, sizeof(c), &err), -HS_E2BIG);
	assert_string_equal(err.msg, "/etc/kernel/cmdline is longer than 1000 bytes");
}

static void test_os(void **state)
{
	struct inst_os os;

	inst_os_parse("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
		      "ID=debian\n",
		      "0b0075a1e5f04e5a9d1b5ec0ffee0000\n", &os);
	assert_string_equal(os.pretty_name, "Debian GNU/Linux 12 (bookworm)");
	assert_string_equal(os.id, "debian");
	assert_string_equal(os.machine_id, "0b0075a1e5f04e5a9d1b5ec0ffee0000");
	inst_os_parse("ID='ubuntu'\nIMAGE_ID=vmhost\nPRETTY_NAME=Plain\n", "0B0075A1E5F04E5A9D1B5EC0FFEE0000", &os);
	assert_string_equal(os.pretty_name, "Plain");
	assert_string_equal(os.id, "vmhost");
	assert_string_equal(os.machine_id, ""); /* upper case is not a machine id */
	inst_os_parse(NULL, "uninitialized\n", &os);
	assert_string_equal(os.pretty_name, "Linux");
	assert_string_equal(os.id, "");
	assert_string_equal(os.machine_id, "");
	inst_os_parse("ID=\"a b\"\n", "0b0075a1e5f04e5a9d1b5ec0ffee00001", &os);
	assert_string_equal(os.id, "a-b");
	assert_string_equal(os.machine_id, "");
}

static struct inst_kernel K[] = {
	{ "6.1.0-9-amd64", "/boot/vmlinuz-6.1.0-9-amd64", "/boot/initrd.img-6.1.0-9-amd64" },
	{ "6.1.0-28-amd64", "/boot/vmlinuz-6.1.0-28-amd64", "/boot/initrd.img-6.1.0-28-amd64" },
	{ "5.10.0-30-amd64", "/boot/vmlinuz-5.10.0-30-amd64", "" },
	{ "6.1.0-27-amd64", "/boot/vmlinuz-6.1.0-27-amd64", "/boot/initrd.img-6.1.0-27-amd64" },
};

static void test_select(void **state)
{
	size_t idx[INST_KEEP_MAX];

	assert_int_equal(inst_select(K, 4, 2, idx), 2);
	assert_string_equal(K[idx[0]].version, "6.1.0-28-amd64");
	assert_string_equal(K[idx[1]].version, "6.1.0-27-amd64");
	assert_int_equal(inst_select(K, 4, 1, idx), 1);
	assert_string_equal(K[idx[0]].version, "6.1.0-28-amd64");
	assert_int_equal(inst_select(K, 4, 16, idx), 4);
	assert_string_equal(K[idx[2]].version, "6.1.0-9-amd64");
	assert_string_equal(K[idx[3]].version, "5.10.0-30-amd64");
	assert_int_equal(inst_select(K, 0, 2, idx), 0);
}

static const struct inst_os OS = { "Debian GNU/Linux 12 (bookworm)", "debian",
				   "0b0075a1e5f04e5a9d1b5ec0ffee0000" };

static void test_plan(void **state)
{
	static struct inst_plan p;
	struct hs_err err = { "" };
	struct inst_in in = { K, 4, { 2, true }, &OS, "root=/dev/sda2 quiet",
			      "/usr/lib/hotshim/hotshimx64.efi", true };

	assert_int_equal(inst_plan_make(&in, &p, &err), 0);
	static const char *const dests[] = {
		"/EFI/hotshim/hotshimx64.efi",
		"/EFI/hotshim/srat-override.cpio",
		"/EFI/hotshim/6.1.0-28-amd64/vmlinuz",
		"/EFI/hotshim/6.1.0-28-amd64/initrd.img",
		"/EFI/hotshim/6.1.0-27-amd64/vmlinuz",
		"/EFI/hotshim/6.1.0-27-amd64/initrd.img",
		"/loader/entries/hotshim-6.1.0-28-amd64.conf",
		"/loader/entries/hotshim-6.1.0-27-amd64.conf",
		"/loader/loader.conf",
	};
	assert_int_equal(p.n, HS_ARRAY_SIZE(dests));
	for (size_t i = 0; i < p.n; i++)
		assert_string_equal(p.f[i].dest, dests[i]);
	assert_int_equal(p.f[0].kind, INST_COPY);
	assert_string_equal(p.f[0].src, "/usr/lib/hotshim/hotshimx64.efi");
	assert_int_equal(p.f[1].kind, INST_KEEP);
	assert_string_equal(p.f[3].src, "/boot/initrd.img-6.1.0-28-amd64");
	assert_string_equal(p.f[6].text,
			    "# Boot Loader Specification type #1 entry, written by hotshim-install.\n"
			    "# It is rewritten on every kernel update: change /etc/kernel/cmdline instead.\n"
			    "title      Debian GNU/Linux 12 (bookworm)\n"
			    "version    6.1.0-28-amd64\n"
			    "machine-id 0b0075a1e5f04e5a9d1b5ec0ffee0000\n"
			    "sort-key   debian\n"
			    "linux      /EFI/hotshim/6.1.0-28-amd64/vmlinuz\n"
			    "initrd     /EFI/hotshim/srat-override.cpio\n"
			    "initrd     /EFI/hotshim/6.1.0-28-amd64/initrd.img\n"
			    "options    root=/dev/sda2 quiet\n");
	assert_int_equal(p.f[6].text_len, strlen(p.f[6].text));
	assert_string_equal(p.f[8].text,
			    "# written by hotshim-install (systemd-boot reads it too); \"hotshim-install "
			    "remove\" takes it away unless it was changed\ndefault hotshim-*\ntimeout 3\n");
	assert_string_equal(p.entry_default, "/loader/entries/hotshim-6.1.0-28-amd64.conf");
	static const char *const dirs[] = { "/EFI", "/EFI/hotshim", "/EFI/hotshim/6.1.0-28-amd64",
					    "/EFI/hotshim/6.1.0-27-amd64", "/loader",
					    "/loader/entries" };
	assert_int_equal(p.ndirs, HS_ARRAY_SIZE(dirs));
	for (size_t i = 0; i < p.ndirs; i++)
		assert_string_equal(p.dirs[i], dirs[i]);

	/* no override, no loader.conf, a kernel without initrd, no machine-id */
	struct inst_os os = OS;
	os.machine_id[0] = '\0';
	in = (struct inst_in){ K + 2, 1, { 2, false }, &os, "", "/x.efi", false };
	assert_int_equal(inst_plan_make(&in, &p, &err), 0);
	assert_int_equal(p.n, 3);
	assert_string_equal(p.f[2].text,
			    "# Boot Loader Specification type #1 entry, written by hotshim-install.\n"
			    "# It is rewritten on every kernel update: change /etc/kernel/cmdline instead.\n"
			    "title      Debian GNU/Linux 12 (bookworm)\n"
			    "version    5.10.0-30-amd64\n"
			    "sort-key   debian\n"
			    "linux      /EFI/hotshim/5.10.0-30-amd64/vmlinuz\n");

	in.nk = 0;
	assert_int_equal(inst_plan_make(&in, &p, &err), -HS_ENOENT);
	assert_string_equal(err.msg, "no kernel in /boot (vmlinuz-VERSION): nothing to boot");
	in.nk = 1;
	in.cfg.keep = 0;
	assert_int_equal(inst_plan_make(&in, &p, &err), -HS_EINVAL);
	assert_string_equal(err.msg, "--kernels 0: between 1 and 16");
}

static void test_paths(void **state)
{
	static const char *const ok[] = { "/EFI/hotshim/x", "/loader/loader.conf", "/a",
					  "/a/..b", "/a/b.", "/...", "/a/.x" };
	static const char *const bad[] = { "", "/", "EFI/x", "/a/", "/a//b", "/../etc/passwd",
					   "/a/../../x", "/a/./b", "/a/.", "/a/..", "/a\\b",
					   "/a\nb", "/a\x7f" };
	for (size_t i = 0; i < HS_ARRAY_SIZE(ok); i++)
		assert_true(inst_path_ok(ok[i]));
	for (size_t i = 0; i < HS_ARRAY_SIZE(bad); i++)
		assert_false(inst_path_ok(bad[i]));
	char longp[INST_PATH + 2];
	longp[0] = '/';
	memset(longp + 1, 'a', INST_PATH);
	longp[INST_PATH + 1] = '\0';
	assert_false(inst_path_ok(longp));
}

static void test_manifest(void **state)
{
	static struct inst_manifest m, back;
	static char text[65536];
	struct hs_err err = { "" };
	static const char want[] =
		"# hotshim-install " HS_VERSION ": what it put on this ESP; \"hotshim-install remove\" "
		"takes away exactly this\n"
		"kernels 3\n"
		"override yes\n"
		"boot-option 000A\n"
		"dir /EFI/hotshim\n"
		"file /EFI/hotshim/hotshimx64.efi\n"
		"file /loader/loader.conf\n";

	memset(&m, 0, sizeof(m));
	m.cfg = (struct inst_config){ 3, true };
	m.boot_option = 10;
	assert_int_equal(inst_manifest_add_dir(&m, "/EFI/hotshim"), 0);
	assert_int_equal(inst_manifest_add_file(&m, "/EFI/hotshim/hotshimx64.efi"), 0);
	assert_int_equal(inst_manifest_add_file(&m, "/loader/loader.conf"), 0);
	assert_int_equal(inst_manifest_add_file(&m, "/LOADER/loader.conf"), 0); /* FAT: the same */
	assert_int_equal(inst_manifest_add_file(&m, "/a/../b"), -HS_ENOSPC);
	size_t n = inst_manifest_print(&m, text, sizeof(text));
	assert_string_equal(text, want);
	assert_int_equal(n, strlen(want));
	assert_int_equal(inst_manifest_parse(text, n, &back, &err), 0);
	assert_int_equal(back.cfg.keep, 3);
	assert_true(back.cfg.override);
	assert_int_equal(back.boot_option, 10);
	assert_int_equal(back.nfiles, 2);
	assert_int_equal(back.ndirs, 1);
	assert_true(inst_manifest_has_file(&back, "/efi/HOTSHIM/hotshimx64.efi"));
	/* --shim and --sign: host paths, printed back as read */
	static const char sb[] = "shim /usr/lib/shim/shimx64.efi.signed\nsign-key /root/mok.key\n"
				 "sign-cert /root/mok.crt\n";
	assert_int_equal(inst_manifest_parse(sb, strlen(sb), &back, &err), 0);
	assert_string_equal(back.cfg.shim, "/usr/lib/shim/shimx64.efi.signed");
	assert_string_equal(back.cfg.sign_key, "/root/mok.key");
	assert_string_equal(back.cfg.sign_cert, "/root/mok.crt");
	n = inst_manifest_print(&back, text, sizeof(text));
	assert_non_null(strstr(text, "\nshim /usr/lib/shim/shimx64.efi.signed\nsign-key /root/mok.key\n"
				     "sign-cert /root/mok.crt\n"));
	/* found by fuzz-long: a second, shorter value leaves nothing of the
	 * first behind, so that the manifest prints back the same bytes */
	static struct inst_manifest twice;
	static const char tw[] = "sign-key /aaaaaaaa\nsign-key /b\n";
	assert_int_equal(inst_manifest_parse(tw, strlen(tw), &twice, &err), 0);
	assert_string_equal(twice.cfg.sign_key, "/b");
	for (size_t i = 2; i < INST_PATH; i++)
		assert_int_equal(twice.cfg.sign_key[i], 0);
	/* a later version's key is ignored; defaults without any */
	assert_int_equal(inst_manifest_parse("tries 3\n", 8, &back, &err), 0);
	assert_int_equal(back.cfg.keep, INST_DEFAULT_KEEP);
	assert_false(back.cfg.override);
	assert_int_equal(back.boot_option, -1);

	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "file ../../etc/passwd\n",
		  "line 1: file \"../../etc/passwd\" is not one hotshim-install writes" },
		{ "# x\nfile /EFI/hotshim/../../BOOT/BOOTX64.EFI\n",
		  "line 2: file \"/EFI/hotshim/../../BOOT/BOOTX64.EFI\" is not one hotshim-install writes" },
		{ "dir /\n", "line 1: dir \"/\" is not one hotshim-install writes" },
		/* another loader's files, though on the ESP, are never listed */
		{ "file /EFI/BOOT/BOOTX64.EFI\n",
		  "line 1: file \"/EFI/BOOT/BOOTX64.EFI\" is not one hotshim-install writes" },
		{ "file /loader/entries/debian-6.1.0-28.conf\n",
		  "line 1: file \"/loader/entries/debian-6.1.0-28.conf\" is not one hotshim-install writes" },
		{ "file /loader/entries/hotshim-x/y.conf\n",
		  "line 1: file \"/loader/entries/hotshim-x/y.conf\" is not one hotshim-install writes" },
		{ "file /EFI/hotshimx/a\n", "line 1: file \"/EFI/hotshimx/a\" is not one hotshim-install writes" },
		{ "dir /EFI/debian\n", "line 1: dir \"/EFI/debian\" is not one hotshim-install writes" },
		{ "kernels 0\n", "line 1: bad kernels \"0\"" },
		{ "kernels 2x\n", "line 1: bad kernels \"2x\"" },
		{ "kernels 17\n", "line 1: bad kernels \"17\"" },
		{ "override maybe\n", "line 1: bad override \"maybe\"" },
		{ "boot-option 4\n", "line 1: bad boot-option \"4\"" },
		{ "boot-option 00G4\n", "line 1: bad boot-option \"00G4\"" },
		{ "shim shimx64.efi\n", "line 1: bad shim \"shimx64.efi\"" },
		{ "sign-key \n", "line 1: bad sign-key \"\"" },
		/* found by fuzz-long: sscanf's %x took a sign */
		{ "boot-option -005\n", "line 1: bad boot-option \"-005\"" },
		{ "boot-option +7FF\n", "line 1: bad boot-option \"+7FF\"" },
		{ "file\n", "line 1: \"file\" has no value" },
	};
	for (size_t i = 0; i < HS_ARRAY_SIZE(bad); i++) {
		assert_int_equal(inst_manifest_parse(bad[i].text, strlen(bad[i].text), &back, &err),
				 -HS_EBADMSG);
		assert_string_equal(err.msg, bad[i].why);
	}
	assert_int_equal(inst_manifest_parse("file /a\0b\n", 10, &back, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "line 1 holds a NUL byte");
	/* more files than a manifest holds */
	size_t len = 0;
	for (int i = 0; i <= INST_MAX_FILES; i++)
		len += (size_t)sprintf(text + len, "file /EFI/hotshim/f%d\n", i);
	assert_int_equal(inst_manifest_parse(text, len, &back, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "line 257: more than 256 entries");
	/* a line longer than any path */
	memset(text, 'a', 400);
	assert_int_equal(inst_manifest_parse(text, 400, &back, &err), -HS_EBADMSG);
	assert_string_equal(err.msg, "line 1 is longer than 271 bytes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_names), cmocka_unit_test(test_cmdline),
		cmocka_unit_test(test_os),           cmocka_unit_test(test_select),
		cmocka_unit_test(test_plan),         cmocka_unit_test(test_paths),
		cmocka_unit_test(test_manifest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
