/* The install plan and the manifest (see instplan.h). */
#include "instplan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../../core/entries.h"

static const char *const not_kernels[] = { ".dpkg-tmp", ".dpkg-new", ".dpkg-old", ".dpkg-bak",
					   ".dpkg-dist", ".bak", ".old", "~" };

static bool ends_with(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && !strcmp(s + a - b, suf);
}

bool inst_kernel_version(const char *fname, char *ret, size_t cap)
{
	static const char pre[] = "vmlinuz-";
	if (strncmp(fname, pre, sizeof(pre) - 1))
		return false;
	const char *v = fname + sizeof(pre) - 1;
	size_t n = strlen(v);
	if (n == 0 || n >= cap || n >= INST_VERSION)
		return false;
	for (size_t i = 0; i < HS_ARRAY_SIZE(not_kernels); i++)
		if (ends_with(v, not_kernels[i]))
			return false;
	for (const char *c = v; *c; c++)
		if (*c <= ' ' || *c >= 0x7f || *c == '/' || *c == '\\' || *c == '"')
			return false;
	if (v[0] == '.')
		return false;
	memcpy(ret, v, n + 1);
	return true;
}

/* Appends word w (length n) to ret, one space between words. */
static int put_word(char *ret, size_t cap, size_t *len, const char *w, size_t n)
{
	size_t need = n + (*len ? 1 : 0);
	if (*len + need >= cap || *len + need > INST_CMDLINE)
		return -HS_E2BIG;
	if (*len)
		ret[(*len)++] = ' ';
	memcpy(ret + *len, w, n);
	*len += n;
	ret[*len] = '\0';
	return 0;
}

/* The next word of s from *pos: spaces split, except inside double quotes
 * (lib/cmdline.c next_arg() keeps a quoted value whole). */
static bool next_word(const char *s, size_t *pos, const char **ret, size_t *ret_n)
{
	size_t i = *pos;
	bool q = false;

	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	if (!s[i])
		return false;
	size_t start = i;
	for (; s[i]; i++) {
		if (s[i] == '"')
			q = !q;
		else if (!q && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
			break;
	}
	*ret = s + start;
	*ret_n = i - start;
	*pos = i;
	return true;
}

int inst_cmdline(const char *etc, bool have_etc, const char *proc, char *ret, size_t cap,
		 struct hs_err *err)
{
	size_t len = 0;
	const char *w;
	size_t n, pos = 0;

	if (cap)
		ret[0] = '\0';
	if (have_etc) {
		/* line by line, so a '#' line is a comment */
		const char *line = etc;
		while (*line) {
			const char *eol = strchr(line, '\n');
			size_t ll = eol ? (size_t)(eol - line) : strlen(line);
			const char *l = line;
			while (l < line + ll && (*l == ' ' || *l == '\t'))
				l++;
			if (l < line + ll && *l != '#') {
				char buf[INST_CMDLINE + 2];
				if (ll > INST_CMDLINE) {
					hs_err_set(err, "/etc/kernel/cmdline: a line longer than %u bytes",
						   INST_CMDLINE);
					return -HS_E2BIG;
				}
				memcpy(buf, line, ll);
				buf[ll] = '\0';
				pos = 0;
				while (next_word(buf, &pos, &w, &n))
					if (put_word(ret, cap, &len, w, n) < 0) {
						hs_err_set(err, "/etc/kernel/cmdline is longer than %u bytes",
							   INST_CMDLINE);
						return -HS_E2BIG;
					}
			}
			line += ll + (eol ? 1 : 0);
		}
		return 0;
	}
	while (next_word(proc, &pos, &w, &n)) {
		if ((n >= 11 && !strncmp(w, "BOOT_IMAGE=", 11)) || (n >= 7 && !strncmp(w, "initrd=", 7)))
			continue;
		if (put_word(ret, cap, &len, w, n) < 0) {
			hs_err_set(err, "/proc/cmdline is longer than %u bytes: write the entries' "
				   "command line in /etc/kernel/cmdline", INST_CMDLINE);
			return -HS_E2BIG;
		}
	}
	return 0;
}

/* KEY=value or KEY="value" from os-release (shell-like, one line each). */
static void os_value(const char *text, const char *key, char *ret, size_t cap)
{
	size_t kl = strlen(key);
	for (const char *l = text; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, key, kl) || l[kl] != '=')
			continue;
		const char *v = l + kl + 1;
		size_t n = strcspn(v, "\n");
		if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
			v++;
			n -= 2;
		}
		size_t o = 0;
		for (size_t i = 0; i < n && o + 1 < cap; i++)
			if ((unsigned char)v[i] >= ' ' && v[i] != '\\')
				ret[o++] = v[i];
		ret[o] = '\0';
		return;
	}
}

void inst_os_parse(const char *os_release, const char *machine_id, struct inst_os *ret)
{
	struct inst_os o = { "", "", "" };

	if (os_release) {
		os_value(os_release, "PRETTY_NAME", o.pretty_name, sizeof(o.pretty_name));
		os_value(os_release, "IMAGE_ID", o.id, sizeof(o.id));
		if (!o.id[0])
			os_value(os_release, "ID", o.id, sizeof(o.id));
	}
	if (!o.pretty_name[0])
		snprintf(o.pretty_name, sizeof(o.pretty_name), "Linux");
	for (char *c = o.id; *c; c++)
		if (*c <= ' ')
			*c = '-';
	if (machine_id) {
		size_t i = 0;
		for (; i < 32; i++) {
			char c = machine_id[i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
				break;
		}
		if (i == 32 && (machine_id[32] == '\0' || machine_id[32] == '\n')) {
			memcpy(o.machine_id, machine_id, 32);
			o.machine_id[32] = '\0';
		}
	}
	*ret = o;
}

size_t inst_select(const struct inst_kernel *k, size_t nk, unsigned keep, size_t *ret_idx)
{
	size_t n = 0;

	/* insertion by version, newest first: the order systemd-boot's
	 * config_entry_compare() gives entries that share a sort-key */
	for (size_t i = 0; i < nk; i++) {
		size_t j = n;
		while (j > 0 && entry_vercmp(k[ret_idx[j - 1]].version, k[i].version) < 0) {
			if (j < keep)
				ret_idx[j] = ret_idx[j - 1];
			j--;
		}
		if (j < keep) {
			ret_idx[j] = i;
			if (n < keep)
				n++;
		}
	}
	return n;
}

static struct inst_file *add_file(struct inst_plan *p, enum inst_kind kind, const char *dest,
				  struct hs_err *err)
{
	if (p->n == INST_MAX_FILES) {
		hs_err_set(err, "more than %u files to install", INST_MAX_FILES);
		return NULL;
	}
	struct inst_file *f = &p->f[p->n++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	snprintf(f->dest, sizeof(f->dest), "%s", dest);
	return f;
}

static int add_copy(struct inst_plan *p, const char *dest, const char *src, struct hs_err *err)
{
	struct inst_file *f = add_file(p, INST_COPY, dest, err);
	if (!f)
		return -HS_ENOSPC;
	snprintf(f->src, sizeof(f->src), "%s", src);
	return 0;
}

static void add_dirs(struct inst_plan *p, const char *dest)
{
	char d[INST_PATH];

	for (const char *s = strchr(dest + 1, '/'); s; s = strchr(s + 1, '/')) {
		size_t n = (size_t)(s - dest);
		memcpy(d, dest, n);
		d[n] = '\0';
		if (!inst_plan_has_dir(p, d) && p->ndirs < INST_MAX_DIRS)
			snprintf(p->dirs[p->ndirs++], INST_PATH, "%s", d);
	}
}

static int entry_text(const struct inst_in *in, const struct inst_kernel *k, char *buf,
		      size_t cap, size_t *ret_len)
{
	size_t n = 0;
	int w;

#define PUT(...)                                                         \
	do {                                                             \
		w = snprintf(buf + n, cap - n, __VA_ARGS__);             \
		if (w < 0 || (size_t)w >= cap - n)                       \
			return -HS_E2BIG;                                \
		n += (size_t)w;                                          \
	} while (0)
	PUT("# Boot Loader Specification type #1 entry, written by hotshim-install.\n"
	    "# It is rewritten on every kernel update: change /etc/kernel/cmdline instead.\n");
	PUT("title      %s\n", in->os->pretty_name);
	PUT("version    %s\n", k->version);
	if (in->os->machine_id[0])
		PUT("machine-id %s\n", in->os->machine_id);
	if (in->os->id[0])
		PUT("sort-key   %s\n", in->os->id);
	PUT("linux      " INST_DIR "/%s/vmlinuz\n", k->version);
	if (in->cfg.override)
		PUT("initrd     " INST_OVERRIDE "\n");
	if (k->initrd[0])
		PUT("initrd     " INST_DIR "/%s/initrd.img\n", k->version);
	if (in->cmdline[0])
		PUT("options    %s\n", in->cmdline);
#undef PUT
	*ret_len = n;
	return 0;
}

int inst_plan_make(const struct inst_in *in, struct inst_plan *ret, struct hs_err *err)
{
	size_t idx[INST_KEEP_MAX];
	char dest[INST_PATH];
	struct inst_plan *p = ret;

	p->n = p->ndirs = 0;
	p->entry_default[0] = '\0';
	if (in->cfg.keep == 0 || in->cfg.keep > INST_KEEP_MAX) {
		hs_err_set(err, "--kernels %u: between 1 and %u", in->cfg.keep, INST_KEEP_MAX);
		return -HS_EINVAL;
	}
	size_t n = inst_select(in->k, in->nk, in->cfg.keep, idx);
	if (n == 0) {
		hs_err_set(err, "no kernel in /boot (vmlinuz-VERSION): nothing to boot");
		return -HS_ENOENT;
	}
	if (in->cfg.shim[0] ? add_copy(p, INST_SHIM, in->cfg.shim, err) < 0 ||
			   add_copy(p, INST_SHIM_NEXT, in->efi_src, err) < 0 ||
			   (in->mm_src && add_copy(p, INST_MOKMANAGER, in->mm_src, err) < 0)
			 : add_copy(p, INST_EFI, in->efi_src, err) < 0)
		return -HS_ENOSPC;
	if (in->cfg.override && !add_file(p, INST_KEEP, INST_OVERRIDE, err))
		return -HS_ENOSPC;
	for (size_t i = 0; i < n; i++) {
		const struct inst_kernel *k = &in->k[idx[i]];
		snprintf(dest, sizeof(dest), INST_DIR "/%s/vmlinuz", k->version);
		if (add_copy(p, dest, k->image, err) < 0)
			return -HS_ENOSPC;
		if (k->initrd[0]) {
			snprintf(dest, sizeof(dest), INST_DIR "/%s/initrd.img", k->version);
			if (add_copy(p, dest, k->initrd, err) < 0)
				return -HS_ENOSPC;
		}
	}
	/* entries after the files they name, so a crash between leaves no
	 * entry pointing at nothing */
	for (size_t i = 0; i < n; i++) {
		const struct inst_kernel *k = &in->k[idx[i]];
		snprintf(dest, sizeof(dest), INST_ENTRIES "/" INST_ENTRY_PREFIX "%s.conf", k->version);
		struct inst_file *f = add_file(p, INST_TEXT, dest, err);
		if (!f)
			return -HS_ENOSPC;
		if (entry_text(in, k, f->text, sizeof(f->text), &f->text_len) < 0) {
			hs_err_set(err, "the entry for %s is longer than %u bytes", k->version, INST_TEXT_MAX);
			return -HS_E2BIG;
		}
		if (i == 0)
			snprintf(p->entry_default, sizeof(p->entry_default), "%s", dest);
	}
	if (in->loader_conf) {
		struct inst_file *f = add_file(p, INST_TEXT, INST_LOADER_CONF, err);
		if (!f)
			return -HS_ENOSPC;
		f->text_len = inst_loader_conf(f->text, sizeof(f->text));
	}
	for (size_t i = 0; i < p->n; i++)
		add_dirs(p, p->f[i].dest);
	add_dirs(p, INST_MANIFEST);
	return 0;
}

size_t inst_loader_conf(char *buf, size_t cap)
{
	int w = snprintf(buf, cap,
			 "# written by hotshim-install (systemd-boot reads it too); "
			 "\"hotshim-install remove\" takes it away unless it was changed\n"
			 "default " INST_ENTRY_PREFIX "*\n"
			 "timeout %u\n",
			 INST_TIMEOUT);
	return w < 0 ? 0 : HS_MIN((size_t)w, cap ? cap - 1 : 0);
}

static bool under(const char *p, const char *dir)
{
	size_t n = strlen(dir);
	return !strncasecmp(p, dir, n) && p[n] == '/';
}

bool inst_own_file(const char *p)
{
	static const char entry[] = INST_ENTRIES "/" INST_ENTRY_PREFIX;
	size_t n = strlen(p), e = sizeof(entry) - 1;

	if (!inst_path_ok(p))
		return false;
	if (under(p, INST_DIR) || !strcasecmp(p, INST_LOADER_CONF))
		return true;
	return n > e + 5 && !strncasecmp(p, entry, e) && !strchr(p + e, '/') &&
	       !strcasecmp(p + n - 5, ".conf");
}

bool inst_own_dir(const char *p)
{
	return inst_path_ok(p) && (!strcasecmp(p, "/EFI") || !strcasecmp(p, INST_DIR) ||
				   under(p, INST_DIR) || !strcasecmp(p, "/loader") ||
				   !strcasecmp(p, INST_ENTRIES));
}

bool inst_path_ok(const char *p)
{
	size_t n = strlen(p);

	if (p[0] != '/' || n < 2 || n >= INST_PATH || p[n - 1] == '/')
		return false;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)p[i] < ' ' || p[i] == 0x7f || p[i] == '\\')
			return false;
		if (p[i] == '/' && (p[i + 1] == '/' ||
				    (p[i + 1] == '.' && (p[i + 2] == '/' || p[i + 2] == '\0')) ||
				    (p[i + 1] == '.' && p[i + 2] == '.' &&
				     (p[i + 3] == '/' || p[i + 3] == '\0'))))
			return false;
	}
	return true;
}

bool inst_manifest_has_file(const struct inst_manifest *m, const char *path)
{
	for (size_t i = 0; i < m->nfiles; i++)
		if (!strcasecmp(m->files[i], path))
			return true;
	return false;
}

bool inst_plan_has_file(const struct inst_plan *p, const char *path)
{
	for (size_t i = 0; i < p->n; i++)
		if (!strcasecmp(p->f[i].dest, path))
			return true;
	return false;
}

bool inst_plan_has_dir(const struct inst_plan *p, const char *path)
{
	for (size_t i = 0; i < p->ndirs; i++)
		if (!strcasecmp(p->dirs[i], path))
			return true;
	return false;
}

int inst_manifest_add_file(struct inst_manifest *m, const char *path)
{
	if (inst_manifest_has_file(m, path))
		return 0;
	if (m->nfiles == INST_MAX_FILES || !inst_path_ok(path))
		return -HS_ENOSPC;
	snprintf(m->files[m->nfiles++], INST_PATH, "%s", path);
	return 0;
}

void inst_manifest_drop_file(struct inst_manifest *m, const char *path)
{
	for (size_t i = 0; i < m->nfiles; i++) {
		if (strcasecmp(m->files[i], path))
			continue;
		memmove(m->files[i], m->files[i + 1], (m->nfiles - i - 1) * sizeof(m->files[0]));
		m->nfiles--;
		return;
	}
}

int inst_manifest_add_dir(struct inst_manifest *m, const char *path)
{
	for (size_t i = 0; i < m->ndirs; i++)
		if (!strcasecmp(m->dirs[i], path))
			return 0;
	if (m->ndirs == INST_MAX_DIRS || !inst_path_ok(path))
		return -HS_ENOSPC;
	snprintf(m->dirs[m->ndirs++], INST_PATH, "%s", path);
	return 0;
}

int inst_manifest_parse(const char *text, size_t len, struct inst_manifest *ret,
			struct hs_err *err)
{
	struct inst_manifest *m = calloc(1, sizeof(*m));
	size_t line = 0;
	int r = 0;

	if (!m) {
		hs_err_set(err, "out of memory");
		return -HS_ENOMEM;
	}
	m->cfg.keep = INST_DEFAULT_KEEP;
	m->boot_option = -1;
	for (size_t pos = 0; pos < len;) {
		char l[INST_PATH + 16];
		size_t e = pos;
		while (e < len && text[e] != '\n')
			e++;
		line++;
		size_t n = e - pos;
		if (n >= sizeof(l)) {
			hs_err_set(err, "line %zu is longer than %zu bytes", line, sizeof(l) - 1);
			r = -HS_EBADMSG;
			break;
		}
		memcpy(l, text + pos, n);
		l[n] = '\0';
		pos = e + 1;
		if (memchr(l, '\0', n)) {
			hs_err_set(err, "line %zu holds a NUL byte", line);
			r = -HS_EBADMSG;
			break;
		}
		if (n == 0 || l[0] == '#')
			continue;
		char *v = strchr(l, ' ');
		if (!v) {
			hs_err_set(err, "line %zu: \"%.40s\" has no value", line, l);
			r = -HS_EBADMSG;
			break;
		}
		*v++ = '\0';
		bool file = !strcmp(l, "file"), dir = !strcmp(l, "dir");
		char *to;
		if ((file && !inst_own_file(v)) || (dir && !inst_own_dir(v))) {
			hs_err_set(err, "line %zu: %s \"%.60s\" is not one hotshim-install writes",
				   line, l, v);
			r = -HS_EBADMSG;
			break;
		}
		if (file) {
			r = inst_manifest_add_file(m, v);
		} else if (dir) {
			r = inst_manifest_add_dir(m, v);
		} else if (!strcmp(l, "kernels")) {
			unsigned k = 0;
			char c;
			if (sscanf(v, "%u%c", &k, &c) != 1 || k == 0 || k > INST_KEEP_MAX)
				r = -HS_EINVAL;
			else
				m->cfg.keep = k;
		} else if (!strcmp(l, "override")) {
			if (!strcmp(v, "yes") || !strcmp(v, "no"))
				m->cfg.override = !strcmp(v, "yes");
			else
				r = -HS_EINVAL;
		} else if ((to = !strcmp(l, "shim")        ? m->cfg.shim
				 : !strcmp(l, "sign-key")  ? m->cfg.sign_key
				 : !strcmp(l, "sign-cert") ? m->cfg.sign_cert
							   : NULL)) {
			/* host paths, absolute, as install was given them; a
			 * later line wins, whole: no byte of a longer earlier
			 * value stays after the NUL */
			if (v[0] != '/' || strlen(v) >= INST_PATH)
				r = -HS_EINVAL;
			else
				strncpy(to, v, INST_PATH);
		} else if (!strcmp(l, "boot-option")) {
			/* four hex digits, as in Boot####; sscanf's %x alone
			 * would take "-005" */
			if (strlen(v) != 4 || strspn(v, "0123456789abcdefABCDEF") != 4)
				r = -HS_EINVAL;
			else
				m->boot_option = (int)strtoul(v, NULL, 16);
		}
		/* other keys: a later version's, ignored */
		if (r == -HS_EINVAL) {
			hs_err_set(err, "line %zu: bad %s \"%.60s\"", line, l, v);
			r = -HS_EBADMSG;
			break;
		}
		if (r < 0) {
			hs_err_set(err, "line %zu: more than %u entries", line, INST_MAX_FILES);
			r = -HS_EBADMSG;
			break;
		}
	}
	if (r == 0)
		*ret = *m;
	free(m);
	return r;
}

size_t inst_manifest_print(const struct inst_manifest *m, char *buf, size_t cap)
{
	size_t n = 0;

#define OUT(...)                                                              \
	do {                                                                  \
		int w_ = snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__); \
		n += w_ > 0 ? (size_t)w_ : 0;                                 \
	} while (0)
	OUT("# hotshim-install %s: what it put on this ESP; \"hotshim-install remove\" takes "
	    "away exactly this\n",
	    HS_VERSION);
	OUT("kernels %u\n", m->cfg.keep);
	OUT("override %s\n", m->cfg.override ? "yes" : "no");
	if (m->cfg.shim[0])
		OUT("shim %s\n", m->cfg.shim);
	if (m->cfg.sign_key[0])
		OUT("sign-key %s\n", m->cfg.sign_key);
	if (m->cfg.sign_cert[0])
		OUT("sign-cert %s\n", m->cfg.sign_cert);
	if (m->boot_option >= 0)
		OUT("boot-option %04X\n", (unsigned)m->boot_option);
	for (size_t i = 0; i < m->ndirs; i++)
		OUT("dir %s\n", m->dirs[i]);
	for (size_t i = 0; i < m->nfiles; i++)
		OUT("file %s\n", m->files[i]);
#undef OUT
	return n;
}
