/*
 * The jump into a hotshim-protocol kernel, after ExitBootServices.
 *
 *   void hs_handoff(uint64_t cr3, const void *gdtr, uint64_t entry,
 *                   uint64_t boot_info, uint64_t stack_top, uint64_t nx);
 *                   rdi            rsi              rdx
 *                   rcx                 r8                  r9
 *
 * Runs from hotshim's image, which the new tables map executable, so the
 * instruction after the CR3 load is still there.  Segments come from the
 * new GDT: 0x08 64-bit code, 0x10 flat data.
 */
#define MSR_EFER 0xc0000080
#define EFER_NXE (1 << 11)
#define CR4_PGE (1 << 7)

	.text
	.globl hs_handoff
	.type hs_handoff, @function
hs_handoff:
	cli
	cld
	mov %rdx, %r10            /* rdmsr/wrmsr use rdx and rcx */
	mov %rcx, %r11
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
	pushq $0x08
	lea 2f(%rip), %rax
	push %rax
	lretq
2:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov %r11, %rdi
	xor %ebp, %ebp
	jmp *%r10
	.size hs_handoff, . - hs_handoff
	.section .note.GNU-stack, "", @progbits
