/*
 * Which partition a file system sits on, read from the disk's own table
 * the way Linux numbers partitions (block/partitions/efi.c efi_partition():
 * GPT entry i is partition i + 1; block/partitions/msdos.c: MBR primary
 * slots are 1-4), so an installer can check that a mount point is an EFI
 * System Partition and name it to efibootmgr without libblkid or udev.
 *
 *   LBA 0   protective MBR (0x55aa at 510, a 0xee slot)   or an MBR table
 *   LBA 1   "EFI PART" header: CRC32 of itself, entries' LBA, count, size
 *   LBA 2.. entries: type GUID, unique GUID, first/last LBA, ..., name
 *   last    the backup header, used when the primary fails its checks
 */
#ifndef HS_TOOLS_GPT_H
#define HS_TOOLS_GPT_H

#include "../../lib/hs.h"

#define GPT_ENTRIES_MAX_BYTES (1u << 20) /* Linux reads at most what fits; 128 x 128 is usual */

/* The ESP's type, as GPT stores it (mixed-endian GUID bytes). */
extern const uint8_t gpt_type_esp[16];
#define MBR_TYPE_ESP 0xefu

struct disk_reader {
	/* reads len bytes at byte offset off: 0 or a negative errno */
	int (*read)(void *ctx, uint64_t off, void *buf, size_t len);
	void *ctx;
	uint32_t sector;    /* logical block size: 512 or 4096 */
	uint64_t size;      /* bytes */
};

struct part_info {
	unsigned number;    /* as Linux numbers it: 1-based */
	bool gpt;           /* else an MBR primary slot */
	uint8_t type[16];   /* GPT type GUID (on-disk bytes) */
	uint8_t uuid[16];   /* GPT unique partition GUID (on-disk bytes) */
	uint8_t mbr_type;   /* MBR: the slot's type byte */
	uint32_t mbr_sig;   /* MBR: the disk signature */
	uint64_t first_lba, last_lba;
};

/* CRC-32 (IEEE 802.3, reflected), as the GPT header and entries use. */
uint32_t gpt_crc32(const uint8_t *p, size_t n);

/*
 * Reads partition number (1-based) from the disk: GPT when LBA 0 holds a
 * protective MBR, else MBR primary slots.  -HS_ENOENT: no such partition
 * (err says what the table holds); -HS_EBADMSG: no valid table (err says
 * which check failed); a read error is returned as it came.
 */
int part_read(const struct disk_reader *d, unsigned number, struct part_info *ret,
	      struct hs_err *err);

/* "c12a7328-f81f-11d2-ba4b-00a0c93ec93b" from on-disk GUID bytes (buf >= 37). */
void gpt_guid_str(const uint8_t g[16], char *buf);
/* The reverse; -HS_EINVAL when s is not a GUID. */
int gpt_guid_parse(const char *s, uint8_t ret[16]);

#endif
