/*
 * UEFI boot options as the firmware stores them (UEFI 2.10 3.1.3
 * EFI_LOAD_OPTION), read back from efivarfs so an installer can tell its
 * own Boot#### from another loader's without parsing efibootmgr's text.
 *
 *   u32 Attributes | u16 FilePathListLength | Description (UCS-2, NUL)
 *   | FilePathList (device path nodes: u8 type, u8 subtype, u16 length)
 *   | OptionalData (the rest)
 */
#ifndef HS_TOOLS_LOADOPT_H
#define HS_TOOLS_LOADOPT_H

#include "../../lib/hs.h"

#define LOAD_OPTION_ACTIVE 0x1u
#define LOADOPT_MAX_TEXT 256
#define BOOT_ORDER_MAX 1024

struct load_option {
	uint32_t attributes;
	char desc[LOADOPT_MAX_TEXT];   /* ASCII; other characters become '?' */
	bool has_hd;                   /* a hard-drive media node */
	uint32_t part;                 /* its partition number */
	uint8_t part_sig[16];          /* its signature: the GPT partition GUID */
	uint8_t sig_type;              /* 2: GUID, 1: MBR */
	char file[LOADOPT_MAX_TEXT];   /* the first file-path node, ASCII */
	size_t optional_len;           /* bytes of load options after the path */
};

/* Parses one Boot#### value (without efivarfs' 4 attribute bytes).
 * -HS_EBADMSG with err saying where, for a value that breaks its lengths. */
int loadopt_parse(struct hs_view v, struct load_option *ret, struct hs_err *err);

/* Is this option the file path on the partition with that GUID?  Paths
 * compare as the firmware's FAT driver does: case-insensitive, '/' = '\'. */
bool loadopt_is(const struct load_option *o, const uint8_t part_uuid[16], const char *path);

/* BootOrder: an array of u16.  An odd length is -HS_EBADMSG. */
int boot_order_parse(struct hs_view v, uint16_t *ret, size_t cap, size_t *ret_n);

#endif
