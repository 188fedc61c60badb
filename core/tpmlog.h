/*
 * The TPM 2.0 event log in the firmware's crypto-agile form (TCG PC
 * Client Platform Firmware Profile, 10.2): what Linux's EFI stub hands
 * the kernel (6.1, drivers/firmware/efi/libstub/tpm.c,
 * efi_retrieve_tpm2_eventlog), and what hotshim hands it in its place.
 */
#ifndef HS_CORE_TPMLOG_H
#define HS_CORE_TPMLOG_H

#include "../lib/hs.h"

#define TPMLOG_MAX_ALGS 8

/* The digests of each event, from the Spec ID event that opens the log. */
struct tpmlog_algs {
	uint32_t n;
	uint16_t id[TPMLOG_MAX_ALGS], size[TPMLOG_MAX_ALGS];
};

/* Reads the log's first event (SHA-1 form: PCR 0, EV_NO_ACTION, a zero
 * digest, "Spec ID Event03"); -HS_EBADMSG when it is not one. */
int tpmlog_algs(struct hs_view log, struct tpmlog_algs *ret);
/* Bytes of the TCG_PCR_EVENT2 at the start of ev, as Linux counts them
 * (include/linux/tpm_eventlog.h, __calc_tpm2_event_size): 0 when it is
 * malformed, has not one digest per bank, names a digest the Spec ID
 * event does not, or runs past ev. */
size_t tpmlog_event_size(struct hs_view ev, const struct tpmlog_algs *a);
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
