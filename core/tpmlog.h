/*
 * The TPM 2.0 event log in the firmware's crypto-agile form (TCG PC
 * Client Platform Firmware Profile, 10.2): what Linux's EFI stub hands
 * the kernel (6.1, drivers/firmware/efi/libstub/tpm.c,
 * efi_retrieve_tpm2_eventlog), and what hotshim hands it in its place.
 * Every size is counted as Linux counts it (include/linux/tpm_eventlog.h,
 * __calc_tpm2_event_size), from the digest sizes the log's first event,
 * the Spec ID event, lists.
 */
#ifndef HS_CORE_TPMLOG_H
#define HS_CORE_TPMLOG_H

#include "../lib/hs.h"

#define TPMLOG_MAX_ALGS 8

/* The number of digest banks the Spec ID event lists (1 to
 * TPMLOG_MAX_ALGS); -HS_EBADMSG when the log's first event is not one
 * Linux takes (PCR 0, EV_NO_ACTION, a zero SHA-1 digest, "Spec ID
 * Event03"). */
int tpmlog_banks(struct hs_view log);
/* Bytes of the TCG_PCR_EVENT2 at off in v, digest sizes from the Spec ID
 * event of log: 0 when it is malformed, has not one digest per bank,
 * names a digest the Spec ID event does not, or runs past v. */
size_t tpmlog_event_size(struct hs_view v, size_t off, struct hs_view log);
/* The log's length up to the end of its last event, which starts at
 * last_off (GetEventLog's EventLogLastEntry minus its location); 0 for
 * a bad log, and for one with only its Spec ID event (last_off 0). */
size_t tpmlog_size(struct hs_view log, uint64_t last_off);
/* Bytes of the events of the Final Events table ({u64 version; u64
 * count; events}) that are there now: what Linux is told is already in
 * the log.  0 when there is none, or when one is bad (Linux counts those
 * before the bad one; hotshim logs nothing after GetEventLog, so the
 * table is empty unless another loader asked for the log first). */
size_t tpmlog_final_size(struct hs_view final, struct hs_view log);

#endif
