/*
 * Entry from hotshim.efi: 64-bit long mode, CPL0, interrupts off, paging on
 * with hotshim's tables, RDI = physical address of struct hotshim_boot_info.
 *
 * We move to a stack of our own so no check depends on the size of the one
 * hotshim lent us, but we remember where that one was: main.c checks it is
 * reserved (owner HOTSHIM_OWN_STACK) and 16-byte aligned as promised.
 */
	.section .text.entry, "ax"
	.globl _start
	.type _start, @function
_start:
	cli
	movq	%rsp, entry_rsp(%rip)
	leaq	stack_top(%rip), %rsp
	xorl	%ebp, %ebp		/* ends frame-pointer walks here */
	call	kmain			/* RDI untouched: the boot info */
1:	cli
	hlt
	jmp	1b
	.size _start, . - _start

	.bss
	.balign 16
	.globl entry_rsp
	.type entry_rsp, @object
entry_rsp:
	.quad	0
	.size entry_rsp, 8

	.balign 16
stack:
	.skip	16384
stack_top:

	.section .note.GNU-stack, "", @progbits
