# hotshim: one Makefile, two object trees (build/efi for the EFI app,
# build/host for the same pure sources in tools, tests and fuzzers).
#
#   make          build/hotshim.efi and the host tools
#   make run      the demo machine in QEMU: the report, then Debian's kernel
#                 booted through hotshim, and Linux's verdict on node 1
#   make run-report, run-pinned   the report alone, on the demo machine or
#                 on one whose hot-pluggable node the firmware pins
#   make check    every test; ends with "N passed, M failed"
#   make fuzz     run each libFuzzer harness for FUZZ_SECONDS
#   make fuzz-long  each for at least 10 minutes and 10 million runs
#   make deb      the Debian package (build/deb/), lintian-checked
#   make install  DESTDIR=... PREFIX=/usr: programs, hooks, man pages

B := build
PURE_SRC := lib/fmt.c lib/json.c lib/memmap.c lib/cpio.c lib/memblock.c lib/elf.c \
            acpi/table.c acpi/srat.c acpi/slit.c acpi/cedt.c acpi/override.c acpi/rebuild.c x86/paging.c x86/linux.c \
            core/numa.c core/report.c core/report_json.c core/cli.c core/alloc.c core/pins.c core/plan.c \
            core/bootinfo.c core/handover.c core/kernel.c core/entries.c core/menu.c core/tpmlog.c
EFI_SRC := efi/main.c efi/run.c efi/entries.c efi/menu.c efi/loaderif.c efi/console.c efi/firmware.c \
	efi/file.c efi/boot.c efi/boot_elf.c \
	efi/boot_linux.c efi/tpm.c efi/lib.c
# host-only code shared by the tools in tools/ (the installer, mostly)
TOOL_SRC := tools/host/online.c tools/host/metrics.c tools/host/gpt.c tools/host/loadopt.c tools/host/instplan.c tools/host/ovrmake.c \
	tools/host/sys.c tools/host/esp.c tools/host/espsync.c tools/host/nvram.c \
	tools/host/machine.c
HDRS := $(wildcard lib/*.h core/*.h acpi/*.h efi/*.h x86/*.h include/hotshim/*.h tools/host/*.h)

CC ?= gcc
# V=1 shows every command
Q := $(if $(V),,@)
WARN := -Wall -Wextra -Werror=implicit-function-declaration -Wshadow -Wvla

# --- EFI application --------------------------------------------------
EFI_INC := /usr/include/efi
EFI_LIB := /usr/lib
# The smallest code (docs/BENCHMARKS.md): -Oz, no SSE registers, and
# link-time optimisation over the whole program (fat objects: the test
# tools link them without it); one section per function and hidden
# symbols, so the link drops what nothing calls.  -Oz still runs a few
# passes that trade bytes for speed hotshim does not need (each measured
# on hotshim.efi): no loop-invariant motion (tree and RTL), no dominator
# optimisations, no caller-saved spilling around calls, no
# shrink-wrapping, no jump tables (the switches become compare chains
# and .data loses the tables), no mod-ref analysis, jump threading or
# "expensive" optimisations, no tail merging, no inlining of functions
# called once (each smaller here, 64 bytes between them).  The
# modref, threading and "expensive" flags bring false
# -Wmaybe-uninitialized warnings at the LTO link, so the link alone turns
# that warning off; the host builds of the same sources (tests, fuzzers,
# tools) keep it.
EFI_SIZE_FLAGS := -fno-tree-loop-im -fno-move-loop-invariants -fno-tree-dominator-opts \
	-fno-caller-saves -fno-shrink-wrap -fno-jump-tables -fno-ipa-modref -fno-thread-jumps \
	-fno-expensive-optimizations -fno-tree-tail-merge -fno-inline-functions-called-once
EFI_CFLAGS := -std=gnu11 -Oz $(EFI_SIZE_FLAGS) -mgeneral-regs-only $(WARN) -ffreestanding -fpic \
	-fshort-wchar -mno-red-zone -fno-stack-protector -fno-strict-aliasing -fno-builtin \
	-DGNU_EFI_USE_MS_ABI -ffunction-sections -fdata-sections -fvisibility=hidden -flto \
	-ffat-lto-objects -I$(EFI_INC) -I$(EFI_INC)/x86_64
EFI_OBJ := $(patsubst %.c,$(B)/efi/%.o,$(PURE_SRC) $(EFI_SRC)) $(B)/efi/x86/handoff.o

TOOLS := $(B)/host/hotshim-report $(B)/host/hotshim-mkoverride $(B)/host/hotshim-install
all: deps build $(B)/test-kernel.elf $(B)/test-kernel-pie.elf
# what is installed, without installing build dependencies (debian/rules)
build: $(B)/hotshim.efi $(TOOLS)

deps:
	@tools/deps.sh

$(B)/efi/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC (efi)  $<"
	$(Q)$(CC) $(EFI_CFLAGS) -c $< -o $@

$(B)/efi/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS (efi)  $<"
	$(Q)$(CC) -c $< -o $@

# From gnu-efi only crt0 and its self-relocator (libgnuefi); efi/lib.c
# has the few libefi names hotshim uses.
$(B)/hotshim.so: $(EFI_OBJ) efi/hotshim.lds
	@echo "  LD        $@"
	$(Q)$(CC) $(EFI_CFLAGS) -Wno-maybe-uninitialized -flto-partition=one -fuse-linker-plugin -nostdlib -shared \
		-Wl,-znocombreloc,-Bsymbolic,--gc-sections -T efi/hotshim.lds \
		$(EFI_LIB)/crt0-efi-x86_64.o $(filter %.o,$^) -L$(EFI_LIB) -lgnuefi -o $@

# Post-link check: no undefined symbols, PE32+, EFI application subsystem.
# tools/pe-pack.c then drops objcopy's DOS stub, so that the headers of
# four sections fit one 512-byte block again.
$(B)/hotshim.efi: $(B)/hotshim.so $(B)/host/pe-pack
	@undef=$$(nm -u $< | grep -v '^ *w ' || true); \
	if [ -n "$$undef" ]; then echo "undefined symbols in $<:"; echo "$$undef"; exit 1; fi
	$(Q)objcopy -j .text -j .sdata -j .data -j .dynamic -j .rodata -j .rel -j .rela \
		-j '.rel.*' -j '.rela.*' -j .reloc -j .sbat --strip-all --target efi-app-x86_64 \
		--subsystem=10 $< $@.objcopy
	$(Q)$(B)/host/pe-pack $@.objcopy $@ && rm -f $@.objcopy
	@objdump -p $@ | grep -q 'Magic.*020b' || { echo "$@: not PE32+"; rm -f $@; exit 1; }
	@objdump -p $@ | grep -q 'Subsystem.*0000000a' || \
		{ echo "$@: not an EFI application"; rm -f $@; exit 1; }
	@echo "built $@ ($$(stat -c %s $@) bytes)"

$(B)/host/pe-pack: tools/pe-pack.c
	@mkdir -p $(dir $@)
	@echo "  CC (host) $<"
	$(Q)$(CC) $(HOST_CFLAGS) $< -o $@

# Test tools (test/efi/): fragment.c fragments the map, faults.c makes
# firmware calls fail under hotshim.
# Linked with hotshim's own script: gnu-efi's takes no .bss.* sections,
# and -fdata-sections puts each zeroed static in one (they would be left
# out of the image).
$(B)/test-%.efi: $(B)/efi/test/efi/%.o efi/hotshim.lds
	$(Q)ld -nostdlib -znocombreloc -shared -Bsymbolic -T efi/hotshim.lds \
		$(EFI_LIB)/crt0-efi-x86_64.o $(filter %.o,$^) -L$(EFI_LIB) -lefi -lgnuefi -o $(B)/test-$*.so
	$(Q)objcopy -j .text -j .sdata -j .data -j .dynamic -j .rodata -j .rel -j .rela \
		-j '.rel.*' -j '.rela.*' -j .reloc --target efi-app-x86_64 --subsystem=10 \
		$(B)/test-$*.so $@

# --- host builds ------------------------------------------------------
# CPPFLAGS, CFLAGS and LDFLAGS from the environment (dpkg-buildflags'
# hardening in a package build) go to the programs that are installed
HOST_CFLAGS := -std=gnu11 -O2 -g $(WARN) $(CPPFLAGS) $(CFLAGS)
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_CFLAGS := -std=gnu11 -O1 -g $(WARN) $(SAN)
HOST_OBJ := $(patsubst %.c,$(B)/host/opt/%.o,$(PURE_SRC))
SAN_OBJ := $(patsubst %.c,$(B)/host/san/%.o,$(PURE_SRC))
TOOL_OBJ := $(patsubst %.c,$(B)/host/opt/%.o,$(TOOL_SRC))

$(B)/host/opt/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC (host) $<"
	$(Q)$(CC) $(HOST_CFLAGS) -c $< -o $@

$(B)/host/san/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC (san)  $<"
	$(Q)$(CC) $(SAN_CFLAGS) -c $< -o $@

# the installed hotshim.efi's place, compiled into hotshim-install
PREFIX ?= /usr
DESTDIR ?=
LIBDIR := $(PREFIX)/lib/hotshim

$(B)/host/opt/tools/hotshim-install.o: tools/hotshim-install.c $(HDRS) $(B)/host/prefix
	@mkdir -p $(dir $@)
	@echo "  CC (host) $<"
	$(Q)$(CC) $(HOST_CFLAGS) -DHOTSHIM_LIBDIR='"$(LIBDIR)"' -c $< -o $@

# rebuilt when PREFIX changes
$(B)/host/prefix: FORCE
	@mkdir -p $(dir $@)
	@echo "$(LIBDIR)" | cmp -s - $@ || echo "$(LIBDIR)" >$@

$(B)/host/hotshim-%: $(B)/host/opt/tools/hotshim-%.o $(TOOL_OBJ) $(HOST_OBJ)
	@echo "  LD        $@"
	$(Q)$(CC) $(HOST_CFLAGS) $(LDFLAGS) $^ -o $@

# statically linked, for the busybox guests (test/linux/initramfs.sh)
$(B)/host/hotshim-report-static: $(B)/host/opt/tools/hotshim-report.o $(TOOL_OBJ) $(HOST_OBJ)
	@echo "  LD        $@"
	$(Q)$(CC) $(HOST_CFLAGS) $(LDFLAGS) -static $^ -o $@

# make deb: the Debian package (dpkg-buildpackage in a copy of the tree,
# then lintian), in build/deb/
deb: deps
	@tools/deb.sh

# make install [DESTDIR=...] [PREFIX=/usr]: the programs, hotshim.efi, the
# kernel hooks and the man pages (debian/rules uses it); hooks go where their callers look
# (/etc/kernel, /etc/initramfs, /usr/lib/kernel/install.d), whatever PREFIX
MAN := $(wildcard docs/man/*.[178])
install: build
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(LIBDIR)
	install -m 0755 $(B)/host/hotshim-report $(B)/host/hotshim-mkoverride $(DESTDIR)$(PREFIX)/bin/
	install -m 0755 $(B)/host/hotshim-install $(DESTDIR)$(PREFIX)/sbin/
	install -m 0644 $(B)/hotshim.efi $(DESTDIR)$(LIBDIR)/hotshimx64.efi
	install -D -m 0755 tools/hooks/postinst $(DESTDIR)/etc/kernel/postinst.d/zz-hotshim
	install -D -m 0755 tools/hooks/postrm $(DESTDIR)/etc/kernel/postrm.d/zz-hotshim
	install -D -m 0755 tools/hooks/post-update $(DESTDIR)/etc/initramfs/post-update.d/hotshim
	install -D -m 0755 tools/hooks/kernel-install $(DESTDIR)/usr/lib/kernel/install.d/95-hotshim.install
	for m in $(MAN); do install -D -m 0644 $$m \
		$(DESTDIR)$(PREFIX)/share/man/man$${m##*.}/$$(basename $$m); done

include test/test.mk
include test/kernel/build.mk

# Keep objects and fixtures that pattern rules build on the way.
.SECONDARY:

.PHONY: all build install deb FORCE deps run run-report run-pinned check fuzz fuzz-long clean initrds bench bench-e2e linux
clean:
	rm -rf $(B)
