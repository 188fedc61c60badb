/* libFuzzer: any bytes as the firmware's TPM event log (core/tpmlog.c),
 * the first 4 giving where GetEventLog says its last event starts; the
 * same bytes as a Final Events table.  No size may pass the bytes. */
#include <string.h>

#include "core/tpmlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	uint32_t last;
	memcpy(&last, data, 4);
	struct hs_view log = { data + 4, size - 4 };
	size_t n = tpmlog_size(log, last);
	if (n > log.len || (n && n <= last))
		__builtin_trap();
	if (tpmlog_final_size(log, log) > log.len)
		__builtin_trap();
	return 0;
}
