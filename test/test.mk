# Tests, fixtures, fuzzers and QEMU runs; included by the top Makefile.

CORPUS ?= ../shared/srat-corpus
FIXTURES_SRC := $(wildcard test/fixtures/*.asl)
FIXTURES := $(patsubst test/fixtures/%.asl,$(B)/fixtures/%.aml,$(FIXTURES_SRC)) \
	$(B)/fixtures/qemu-zero-length.aml \
	$(patsubst test/fixtures/%.sfdisk,$(B)/fixtures/%.img,$(wildcard test/fixtures/*.sfdisk))

# ASL sources become tables at build time, so a reader sees the table.
$(B)/fixtures/%.aml: test/fixtures/%.asl
	@mkdir -p $(dir $@)
	@iasl -p $(B)/fixtures/$* $< >$(B)/fixtures/$*.log 2>&1 || { cat $(B)/fixtures/$*.log; exit 1; }

# Partitioned disks written by sfdisk, the reference tools/host/gpt.c reads.
$(B)/fixtures/%.img: test/fixtures/%.sfdisk
	@mkdir -p $(dir $@)
	@rm -f $@ && truncate -s 8M $@ && grep -v '^#' $< | sfdisk -q $@ >/dev/null

UNIT_SRC := $(wildcard test/unit/*/*.c test/unit/*/*/*.c)
UNIT_BIN := $(patsubst test/unit/%.c,$(B)/test/unit/%,$(UNIT_SRC))
UNIT_HDRS := $(wildcard test/unit/*.h)

# Each test links only the sources it names on its "/* links: ... */"
# line, as coreboot's tests name theirs: a test of acpi/srat.c that
# needed core/ would show a layer running the wrong way.
unit_links = $(patsubst %.c,$(B)/host/san/%.o,$(shell sed -n 's|^/\* links: \(.*\) \*/$$|\1|p' $(1)))
define unit_rule
$(B)/test/unit/$(1): test/unit/$(1).c $(UNIT_HDRS) $(call unit_links,test/unit/$(1).c) | $(FIXTURES)
	@mkdir -p $$(dir $$@)
	@echo "  TEST      $$@"
	$(Q)$(CC) $(SAN_CFLAGS) -Wno-unused-parameter -I. $$< $(call unit_links,test/unit/$(1).c) -lcmocka -o $$@
endef
$(foreach t,$(patsubst test/unit/%.c,%,$(UNIT_SRC)),$(eval $(call unit_rule,$(t))))

FUZZ_SRC := $(wildcard test/fuzz/*.c)
FUZZ_BIN := $(patsubst test/fuzz/%.c,$(B)/fuzz/%,$(FUZZ_SRC))
FUZZ_FLAGS := -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. \
	-fsanitize-coverage-ignorelist=test/fuzz/coverage-ignore.txt
FUZZ_SECONDS ?= 60

# the tools' pure parts (no files, no programs) are fuzzed too
FUZZ_TOOL_SRC := tools/host/gpt.c tools/host/loadopt.c tools/host/instplan.c tools/host/ovrmake.c
$(B)/fuzz/%: test/fuzz/%.c test/fuzz/fuzz_map.h test/fuzz/mutate.h test/fuzz/json_check.h test/fuzz/coverage-ignore.txt $(PURE_SRC) $(FUZZ_TOOL_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  FUZZ      $@"
	$(Q)clang $(FUZZ_FLAGS) $< $(PURE_SRC) $(FUZZ_TOOL_SRC) -o $@

fuzz: deps $(FUZZ_BIN)
	@for f in $(FUZZ_BIN); do n=$$(basename $$f); mkdir -p $(B)/fuzz-corpus/$$n; \
		echo "fuzz: $$n for $(FUZZ_SECONDS)s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(B)/fuzz-corpus/$$n test/fuzz/corpus/$$n || exit 1; done

# make fuzz-long: each harness for at least 10 minutes and 10 million
# executions, both cores busy (docs/FUZZING.md)
fuzz-long: deps $(FUZZ_BIN)
	@tools/fuzz-long.sh

# Debian's kernel (fetched once) and the end-to-end initramfs.
# bootctl's libraries for the guest (test/linux/bootctl.sh copies them)
GUEST_LIBS := libacl1 libblkid1 libcap2 libcrypt1 libgcrypt20 libip4tc2 libkmod2 liblz4-1 \
	libmount1 libssl3 libpam0g libseccomp2 libselinux1 libzstd1 liblzma5 libgpg-error0 \
	libaudit1 libpcre2-8-0 libcap-ng0
linux: deps $(B)/host/hotshim-report-static
	@tools/deps.sh $(GUEST_LIBS)
	@test/linux/fetch.sh
	@test/linux/initramfs.sh
	@test/linux/bootctl.sh >/dev/null

initrds: $(B)/host/hotshim-mkoverride test/initrd/build.sh test/fixtures/override-two-nodes.asl
	@test/initrd/build.sh

check: all $(UNIT_BIN) $(FIXTURES) $(FUZZ_BIN) initrds $(B)/hotshim.signed.efi \
	$(B)/sb/shimx64.efi $(B)/sb/mmx64.efi $(B)/sb/hotshim-nosbat.efi \
	$(B)/test-fragment.efi $(B)/test-faults.efi $(B)/test/realmap linux
	@CORPUS=$(CORPUS) test/check.sh

# make run: the whole job on the demo machine (node 1 hot-pluggable in the
# firmware's SRAT), from the shell's first prompt: the report, then
# Debian's kernel booted through hotshim with KASLR on, and Linux's own
# verdict from its initramfs (every block of node 1 offlined).
DEMO_BOOT := fs0:\hotshim.efi boot kernel=\vmlinuz initrd=\initrd.img -- console=ttyS0 quiet panic=-1
run: all linux $(FIXTURES)
	@echo "run: booting OVMF in QEMU (demo machine: test/qemu/machines/demo.args) ..."
	@python3 tools/qemu-run.py --only-commands --bare --machine test/qemu/machines/demo.args \
		--esp $(B)/hotshim.efi:/hotshim.efi --esp $(B)/linux/vmlinuz:/vmlinuz \
		--esp $(B)/linux/e2e-initramfs.cpio:/initrd.img --until '^hotshim-e2e: done' \
		--cmd 'fs0:\hotshim.efi report' --cmd '$(DEMO_BOOT)' --timeout 300

# The report alone on the demo machine (about 10 s), and on a machine
# whose hot-pluggable node holds the firmware's ACPI tables: the diagnosis.
run-report: all $(FIXTURES)
	@python3 tools/qemu-run.py --only-commands --bare --machine test/qemu/machines/demo.args \
		--esp $(B)/hotshim.efi:/hotshim.efi --cmd 'fs0:\hotshim.efi report' --timeout 120
run-pinned: all $(FIXTURES)
	@python3 tools/qemu-run.py --only-commands --bare --machine test/qemu/machines/pinned.args \
		--esp $(B)/hotshim.efi:/hotshim.efi --cmd 'fs0:\hotshim.efi report' --timeout 120

# The odd table with its third memory entry's length set to 0 (iasl
# always writes true subtable lengths), and its two generic initiators
# turned into GIC ITS entries: Debian's 6.1.192 panics in mem_init() when
# it rejects an SRAT after mapping a generic initiator, so the boot that
# records Linux's lines could not finish.
$(B)/fixtures/qemu-zero-length.aml: $(B)/fixtures/qemu-odd.aml tools/acpi-patch.py
	@python3 tools/acpi-patch.py $< $@ 0x68=4 0x88=4 0x123=0

# Secure Boot: hotshim signed with Debian's snakeoil key, the one
# OVMF_VARS_4M.snakeoil.fd enrolls (passphrase "snakeoil").
SNAKEOIL := /usr/share/ovmf/PkKek-1-snakeoil
$(B)/sb/snakeoil.key: $(SNAKEOIL).key
	@mkdir -p $(dir $@)
	$(Q)openssl rsa -passin pass:snakeoil -in $< -out $@ 2>/dev/null

$(B)/hotshim.signed.efi: $(B)/hotshim.efi $(B)/sb/snakeoil.key
	@echo "  SIGN      $@"
	$(Q)sbsign --key $(B)/sb/snakeoil.key --cert $(SNAKEOIL).pem --output $@ $< 2>/dev/null
	$(Q)sbverify --cert $(SNAKEOIL).pem $@ >/dev/null

# shim's part (test/qemu/shim.test.sh): Debian's shim (shim-unsigned, with
# Debian's CA built in) signed with the snakeoil key stands in for the
# Microsoft-signed shimx64.efi.signed; hotshim without its .sbat section,
# signed, for shim to refuse.
$(B)/sb/shimx64.efi: /usr/lib/shim/shimx64.efi $(B)/sb/snakeoil.key
	@echo "  SIGN      $@"
	$(Q)sbsign --key $(B)/sb/snakeoil.key --cert $(SNAKEOIL).pem --output $@ $< 2>/dev/null
$(B)/sb/mmx64.efi: /usr/lib/shim/mmx64.efi $(B)/sb/snakeoil.key
	$(Q)sbsign --key $(B)/sb/snakeoil.key --cert $(SNAKEOIL).pem --output $@ $< 2>/dev/null
$(B)/sb/hotshim-nosbat.efi: $(B)/hotshim.efi $(B)/sb/snakeoil.key
	$(Q)objcopy --remove-section .sbat $< $@.tmp
	$(Q)sbsign --key $(B)/sb/snakeoil.key --cert $(SNAKEOIL).pem --output $@ $@.tmp 2>/dev/null
	$(Q)rm -f $@.tmp

# Benchmarks print figures and never fail on speed (docs/BENCHMARKS.md).
$(B)/bench/paging: test/bench/paging.c x86/paging.c x86/paging.h lib/hs.h
	@mkdir -p $(dir $@)
	@echo "  BENCH     $@"
	$(Q)$(CC) -std=gnu11 -O2 -I. $< x86/paging.c -o $@

# real machines' boot logs through the report (test/host/realmap.sh)
$(B)/test/realmap: test/host/realmap.c $(PURE_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  HOSTTEST  $@"
	$(Q)$(CC) $(SAN_CFLAGS) -I. $< $(PURE_SRC) -o $@

$(B)/bench/scale: test/bench/scale.c $(PURE_SRC) $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  BENCH     $@"
	$(Q)$(CC) -std=gnu11 -O2 -I. $< $(PURE_SRC) -o $@

# The four loaders side by side (test/bench/e2e.py); BOOTS=N (default 20).
bench-e2e: all linux initrds $(FIXTURES)
	@tools/deps.sh grub-efi-amd64-bin systemd-boot-efi
	@python3 test/bench/e2e.py

bench: deps $(B)/hotshim.efi $(B)/bench/paging $(B)/bench/scale
	@tools/deps.sh systemd-boot-efi
	@test/bench/size.sh
	@$(B)/bench/paging
	@$(B)/bench/scale
