# The test kernel: a freestanding ELF that hotshim.efi boots in QEMU.  It
# checks the boot protocol from the inside, prints one line per check on
# COM1, and exits QEMU through isa-debug-exit.  Included by the top
# Makefile; works alone too: make -f test/kernel/build.mk B=build build/test-kernel.elf

B ?= build
Q ?= @
KERNEL_CC ?= gcc
KERNEL_CFLAGS := -std=gnu11 -O2 -ffreestanding -fno-stack-protector -fno-pic -no-pie \
	-mno-red-zone -mno-mmx -mno-sse -mno-sse2 -mcmodel=small \
	-fno-asynchronous-unwind-tables -Wall -Wextra -I.
KERNEL_LDFLAGS := -nostdlib -static -Wl,-T,test/kernel/kernel.ld -Wl,--build-id=none \
	-Wl,-z,max-page-size=0x1000

$(B)/test-kernel.elf: test/kernel/entry.S test/kernel/main.c test/kernel/kernel.ld \
		include/hotshim/protocol.h
	@mkdir -p $(dir $@)
	@echo "  KERNEL    $@"
	$(Q)$(KERNEL_CC) $(KERNEL_CFLAGS) $(KERNEL_LDFLAGS) test/kernel/entry.S \
		test/kernel/main.c -o $@

# The same kernel as a PIE (ET_DYN at 0), which hotshim places itself.
KERNEL_PIE_CFLAGS := $(filter-out -fno-pic -no-pie -mcmodel=small,$(KERNEL_CFLAGS)) -fpie
KERNEL_PIE_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker \
	-Wl,-T,test/kernel/kernel-pie.ld -Wl,--build-id=none -Wl,-z,max-page-size=0x1000

$(B)/test-kernel-pie.elf: test/kernel/entry.S test/kernel/main.c test/kernel/kernel-pie.ld \
		include/hotshim/protocol.h
	@mkdir -p $(dir $@)
	@echo "  KERNEL    $@"
	$(Q)$(KERNEL_CC) $(KERNEL_PIE_CFLAGS) $(KERNEL_PIE_LDFLAGS) test/kernel/entry.S \
		test/kernel/main.c -o $@
