/*
 * The jump into a kernel, after ExitBootServices.
 *
 *   void hs_handoff(uint64_t cr3, const void *gdtr, uint64_t entry,
 *                   uint64_t info, uint64_t stack_top, uint64_t nx);
 *                   rdi            rsi              rdx
 *                   rcx            r8                  r9
 *
 * hs_handoff: the hotshim protocol, CS 0x08 / data 0x10, info in RDI.
 * hs_handoff_linux: Linux's 64-bit entry (Documentation/x86/boot.rst),
 * __BOOT_CS 0x10 / __BOOT_DS 0x18, boot_params in RSI.
 *
 * Runs from hotshim's image, which the new tables map executable, so the
 * instruction after the CR3 load is still there.
 */
#define MSR_EFER 0xc0000080
#define EFER_NXE (1 << 11)
#define CR4_PGE (1 << 7)

	.text
	.globl hs_handoff
	.type hs_handoff, @function
hs_handoff:
	mov $0x08, %r10d
	mov $0x10, %r11d
	xor %eax, %eax
	jmp common
	.size hs_handoff, . - hs_handoff

	.globl hs_handoff_linux
	.type hs_handoff_linux, @function
hs_handoff_linux:
	mov $0x10, %r10d
	mov $0x18, %r11d
	mov $1, %eax
common:
	cli
	cld
	mov %rdx, %r12            /* entry; rdmsr/wrmsr use rdx and rcx */
	mov %rcx, %r13            /* info */
	mov %eax, %r14d           /* 0: RDI, 1: RSI */
	test %r9, %r9
	jz 1f
	/* NX bits in the tables are reserved bits unless EFER.NXE is set */
	mov $MSR_EFER, %ecx
	rdmsr
	or $EFER_NXE, %eax
	wrmsr
1:
	lgdt (%rsi)
	mov %rdi, %cr3
	/* drop global TLB entries the firmware may have left */
	mov %cr4, %rax
	mov %rax, %rdx
	and $~CR4_PGE, %rax
	mov %rax, %cr4
	mov %rdx, %cr4
	mov %r8, %rsp
	push %r10
	lea 2f(%rip), %rax
	push %rax
	lretq
2:
	mov %r11d, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	xor %edi, %edi
	xor %esi, %esi
	test %r14d, %r14d
	jnz 3f
	mov %r13, %rdi
	jmp 4f
3:
	mov %r13, %rsi
4:
	xor %ebp, %ebp
	jmp *%r12
	.size hs_handoff_linux, . - hs_handoff_linux
	.section .note.GNU-stack, "", @progbits
