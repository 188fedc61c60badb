/* The ESP synchronised with a plan (see espsync.h). */
#include "espsync.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "sys.h"

static void say(const struct sync_opts *o, const char *fmt, ...)
{
	va_list ap;

	if (o->quiet)
		return;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static void on_esp(const struct esp *e, const char *p, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s", strcmp(e->path, "/") ? e->path : "", p);
}

static uint64_t file_size(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? (uint64_t)st.st_size : 0;
}

/* 1: the ESP already holds what f asks for; 0: it must be written. */
static int is_current(const struct esp *e, const struct inst_file *f, const struct sync_opts *o)
{
	char path[600];

	on_esp(e, f->dest, path, sizeof(path));
	switch (f->kind) {
	case INST_COPY:
		return sys_same_file(path, f->src);
	case INST_TEXT:
		return sys_same_bytes(path, f->text, f->text_len);
	case INST_KEEP:
		return o->override ? sys_same_bytes(path, o->override, o->override_len) : 1;
	}
	return 0;
}

static uint64_t new_size(const struct inst_file *f, const struct sync_opts *o)
{
	switch (f->kind) {
	case INST_COPY:
		return file_size(f->src);
	case INST_TEXT:
		return f->text_len;
	case INST_KEEP:
		return o->override ? o->override_len : 0;
	}
	return 0;
}

int espsync_space(const struct esp *e, const struct inst_plan *p, const struct sync_opts *o,
		  struct hs_err *err)
{
	struct statvfs vfs;
	char path[600];

	if (statvfs(e->path, &vfs) < 0) {
		int x = errno;
		hs_err_set(err, "%s: %s", e->path, strerror(x));
		return -x;
	}
	uint64_t cl = vfs.f_bsize ? vfs.f_bsize : 4096;
#define CLUSTERS(n) (((n) + cl - 1) / cl * cl)
	uint64_t free_b = (uint64_t)vfs.f_bavail * vfs.f_frsize, peak = 0;
	int64_t delta = 0;
	for (size_t i = 0; i < p->n; i++) {
		int cur = is_current(e, &p->f[i], o);
		if (cur < 0) {
			on_esp(e, p->f[i].dest, path, sizeof(path));
			hs_err_set(err, "%s: %s", path, strerror(-cur));
			return cur;
		}
		if (cur)
			continue;
		on_esp(e, p->f[i].dest, path, sizeof(path));
		uint64_t nw = CLUSTERS(new_size(&p->f[i], o)), old = CLUSTERS(file_size(path));
		uint64_t during = (uint64_t)(delta > 0 ? delta : 0) + nw;
		if (during > peak)
			peak = during;
		delta += (int64_t)nw - (int64_t)old;
	}
#undef CLUSTERS
	if (peak > free_b) {
		char have[32], need[32];
		hs_fmt_size(have, sizeof(have), free_b);
		hs_fmt_size(need, sizeof(need), peak);
		hs_err_set(err, "%s has %s free and this needs %s", e->path, have, need);
		return -ENOSPC;
	}
	return 0;
}

int espsync_save(const struct esp *e, const struct inst_manifest *m, bool dry,
			  struct hs_err *err)
{
	static char text[INST_MAX_FILES * (INST_PATH + 8) + INST_MAX_DIRS * (INST_PATH + 8) + 512];
	char path[600];

	if (dry)
		return 0;
	size_t n = inst_manifest_print(m, text, sizeof(text));
	on_esp(e, INST_MANIFEST, path, sizeof(path));
	int r = n < sizeof(text) ? sys_write_atomic(path, text, n) : -E2BIG;
	if (r < 0)
		hs_err_set(err, "%s: %s", path, strerror(-r));
	return r;
}

int espsync_manifest(const struct esp *e, struct inst_manifest *ret, struct hs_err *err)
{
	char path[600];
	uint8_t *b;
	size_t n;

	on_esp(e, INST_MANIFEST, path, sizeof(path));
	int r = sys_read(path, 1u << 20, &b, &n);
	if (r == -ENOENT)
		return r;
	if (r < 0) {
		hs_err_set(err, "%s: %s", path, r == -EFBIG ? "larger than 1 MiB" : strerror(-r));
		return r;
	}
	struct hs_err why = { "" };
	r = inst_manifest_parse((const char *)b, n, ret, &why);
	free(b);
	if (r < 0) {
		hs_err_set(err, "%s: %s", path, why.msg);
		return -EBADMSG;
	}
	return 0;
}

static void drop_file(struct inst_manifest *m, size_t i)
{
	memmove(m->files[i], m->files[i + 1], (m->nfiles - i - 1) * sizeof(m->files[0]));
	m->nfiles--;
}

static void drop_dir(struct inst_manifest *m, size_t i)
{
	memmove(m->dirs[i], m->dirs[i + 1], (m->ndirs - i - 1) * sizeof(m->dirs[0]));
	m->ndirs--;
}

/* Deletes the files m lists that keep does not want (NULL: all), entries
 * first so that no entry is left naming a deleted kernel; then the
 * directories m lists that keep does not need, deepest first. */
static int take_away(const struct esp *e, struct inst_manifest *m, const struct inst_plan *keep,
		     const struct sync_opts *o, struct sync_stats *st, struct hs_err *err)
{
	char path[600];
	bool dry = o->dry;

	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = m->nfiles; i-- > 0;) {
			const char *f = m->files[i];
			bool entry = !strncasecmp(f, "/loader/", 8);
			if ((pass == 0) != entry || (keep && inst_plan_has_file(keep, f)))
				continue;
			on_esp(e, f, path, sizeof(path));
			say(o, "%s %s\n", dry ? "would remove" : "removed", f);
			if (!dry && unlink(path) < 0 && errno != ENOENT) {
				int x = errno;
				hs_err_set(err, "%s: %s", path, strerror(x));
				return -x;
			}
			st->removed++;
			drop_file(m, i); /* a dry run too, so a later pass lists it once */
		}
	}
	/* deepest first: the longest paths */
	for (;;) {
		size_t best = m->ndirs;
		for (size_t i = 0; i < m->ndirs; i++) {
			if (keep && inst_plan_has_dir(keep, m->dirs[i]))
				continue;
			if (best == m->ndirs || strlen(m->dirs[i]) > strlen(m->dirs[best]))
				best = i;
		}
		if (best == m->ndirs)
			break;
		on_esp(e, m->dirs[best], path, sizeof(path));
		if (dry) {
			say(o, "would remove %s/ when empty\n", m->dirs[best]);
		} else if (rmdir(path) == 0) {
			say(o, "removed %s/\n", m->dirs[best]);
		} else if (errno != ENOENT) {
			if (errno != ENOTEMPTY && errno != EEXIST) {
				int x = errno;
				hs_err_set(err, "%s: %s", path, strerror(x));
				return -x;
			}
			say(o, "left %s/: it holds what hotshim-install did not put there\n",
			    m->dirs[best]);
		}
		drop_dir(m, best);
	}
	return 0;
}

/* What a run cut off (power, a signal) left under temporary names: the
 * manifest's files' and the plan's, so nothing half-written stays. */
static void drop_leftovers(const struct esp *e, const struct inst_manifest *m,
			   const struct inst_plan *p, const struct sync_opts *o)
{
	char path[600];

	if (o->dry)
		return;
	for (size_t i = 0; i < m->nfiles + (p ? p->n : 0); i++) {
		on_esp(e, i < m->nfiles ? m->files[i] : p->f[i - m->nfiles].dest, path, sizeof(path));
		size_t l = strlen(path);
		snprintf(path + l, sizeof(path) - l, SYS_TMP_SUFFIX);
		if (unlink(path) == 0)
			say(o, "removed %s, left by a run that was cut off\n", path + strlen(e->path));
	}
}

int espsync_apply(const struct esp *e, const struct inst_plan *p, const struct sync_opts *o,
		  struct inst_manifest *m, struct sync_stats *ret, struct hs_err *err)
{
	struct sync_stats st = { 0 };
	char path[600];
	struct stat sb;
	int r;

	drop_leftovers(e, m, p, o);
	for (size_t i = 0; i < p->ndirs; i++) {
		on_esp(e, p->dirs[i], path, sizeof(path));
		if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
			continue;
		say(o, "%s %s/\n", o->dry ? "would create" : "created", p->dirs[i]);
		if (!o->dry && mkdir(path, 0755) < 0) {
			int x = errno;
			hs_err_set(err, "%s: %s", path, strerror(x));
			return -x;
		}
		if (inst_manifest_add_dir(m, p->dirs[i]) < 0) {
			hs_err_set(err, "%s: the manifest lists %u directories at most", p->dirs[i],
				   INST_MAX_DIRS);
			return -ENOSPC;
		}
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct inst_file *f = &p->f[i];
		on_esp(e, f->dest, path, sizeof(path));
		if (f->kind == INST_KEEP && !o->override && !o->dry && access(path, F_OK) < 0) {
			hs_err_set(err, "%s is gone: install again with --override FILE, or with "
				   "--no-override", path);
			return -ENOENT;
		}
		r = is_current(e, f, o);
		if (r < 0) {
			hs_err_set(err, "%s: %s", path, strerror(-r));
			return r;
		}
		if (inst_manifest_add_file(m, f->dest) < 0) {
			hs_err_set(err, "%s: the manifest lists %u files at most", f->dest,
				   INST_MAX_FILES);
			return -ENOSPC;
		}
		if (r) {
			st.current++;
			continue;
		}
		uint64_t size = new_size(f, o);
		say(o, "%s %s (%llu bytes%s%s)\n", o->dry ? "would write" : "wrote", f->dest,
		    (unsigned long long)size, f->kind == INST_COPY ? " from " : "",
		    f->kind == INST_COPY ? f->src : "");
		if (!o->dry) {
			if (f->kind == INST_COPY)
				r = sys_copy_atomic(path, f->src);
			else if (f->kind == INST_TEXT)
				r = sys_write_atomic(path, f->text, f->text_len);
			else
				r = sys_write_atomic(path, o->override, o->override_len);
			if (r < 0) {
				hs_err_set(err, "%s: %s", path, strerror(-r));
				espsync_save(e, m, false, err);
				return r;
			}
		}
		st.written++;
		st.bytes += size;
	}
	/* listed before anything is taken away, so a crash leaves nothing
	 * unlisted */
	r = espsync_save(e, m, o->dry, err);
	if (r == 0)
		r = take_away(e, m, p, o, &st, err);
	if (r == 0)
		r = espsync_save(e, m, o->dry, err);
	*ret = st;
	return r;
}

int espsync_remove(const struct esp *e, struct inst_manifest *m, const struct sync_opts *o,
		   struct sync_stats *ret, struct hs_err *err)
{
	bool dry = o->dry;
	struct sync_stats st = { 0 };
	char path[600];
	struct inst_plan *only_dirs = calloc(1, sizeof(*only_dirs));

	if (!only_dirs) {
		hs_err_set(err, "out of memory");
		return -ENOMEM;
	}
	drop_leftovers(e, m, NULL, o);
	/* files first; the manifest's own directory (and /EFI above it) stays
	 * until the manifest is gone */
	snprintf(only_dirs->dirs[0], INST_PATH, "/EFI");
	snprintf(only_dirs->dirs[1], INST_PATH, INST_DIR);
	only_dirs->ndirs = 2;
	int r = take_away(e, m, only_dirs, o, &st, err);
	free(only_dirs);
	if (r == 0)
		r = espsync_save(e, m, dry, err);
	if (r == 0) {
		on_esp(e, INST_MANIFEST, path, sizeof(path));
		say(o, "%s %s\n", dry ? "would remove" : "removed", INST_MANIFEST);
		if (!dry && unlink(path) < 0 && errno != ENOENT) {
			int x = errno;
			hs_err_set(err, "%s: %s", path, strerror(x));
			r = -x;
		}
	}
	if (r == 0)
		r = take_away(e, m, NULL, o, &st, err);
	*ret = st;
	return r;
}
