/*
 * The ESP brought to a plan (instplan.h): missing directories made, files
 * that differ written atomically, files and directories hotshim-install
 * put there before and no longer needs taken away, and the manifest kept
 * so that what is listed is always what is there.  Only what the manifest
 * lists is ever deleted.
 */
#ifndef HS_TOOLS_ESPSYNC_H
#define HS_TOOLS_ESPSYNC_H

#include "esp.h"
#include "instplan.h"

struct sync_opts {
	bool dry;                 /* print what would be done, change nothing */
	bool quiet;               /* print nothing (status: only the counts) */
	const uint8_t *override;  /* new bytes for INST_OVERRIDE, or NULL to keep it */
	size_t override_len;
};

struct sync_stats {
	unsigned written, current, removed;
	uint64_t bytes;           /* written */
};

/* Checks the ESP has room for the plan: the most it holds at any moment
 * of writing, file by file, each new copy beside the old until renamed.
 * -ENOSPC with "PATH has X free and this needs Y" (the caller advises). */
int espsync_space(const struct esp *e, const struct inst_plan *p, const struct sync_opts *o,
		  struct hs_err *err);

/* Brings the ESP to the plan; m (what was there) becomes what is there. */
int espsync_apply(const struct esp *e, const struct inst_plan *p, const struct sync_opts *o,
		  struct inst_manifest *m, struct sync_stats *ret, struct hs_err *err);

/* Takes away everything m lists, then the manifest itself. */
int espsync_remove(const struct esp *e, struct inst_manifest *m, const struct sync_opts *o,
		   struct sync_stats *ret, struct hs_err *err);

/* Writes the manifest (not when dry). */
int espsync_save(const struct esp *e, const struct inst_manifest *m, bool dry, struct hs_err *err);

/* Reads the manifest: -ENOENT when hotshim-install never installed here. */
int espsync_manifest(const struct esp *e, struct inst_manifest *ret, struct hs_err *err);

#endif
