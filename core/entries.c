#include "entries.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int sign(long d)
{
	return (d > 0) - (d < 0);
}

/* --- versions -------------------------------------------------------- */

static bool version_char(char c)
{
	return is_digit(c) || is_alpha(c) || c == '~' || c == '-' || c == '^' || c == '.';
}

/* One of the separators ~ - ^ . : the string that has it where the other
 * has not is older for '~' and '-', and so on (systemd's
 * strverscmp_improved(), src/fundamental/string-util-fundamental.c). */
static int separator(const char **a, const char **b, char c, int *ret)
{
	if (**a != c && **b != c)
		return 0;
	*ret = sign((long)(**a != c) - (long)(**b != c));
	if (*ret)
		return 1;
	(*a)++;
	(*b)++;
	return 0;
}

int entry_vercmp(const char *a, const char *b)
{
	int r;

	for (;;) {
		while (*a && !version_char(*a))
			a++;
		while (*b && !version_char(*b))
			b++;
		if (separator(&a, &b, '~', &r))
			return r;
		/* one string ended: the longer one is newer */
		if (!*a || !*b)
			return sign((long)(*a != 0) - (long)(*b != 0));
		if (separator(&a, &b, '-', &r) || separator(&a, &b, '^', &r) ||
		    separator(&a, &b, '.', &r))
			return r;
		const char *aa = a, *bb = b;
		if (is_digit(*a) || is_digit(*b)) {
			while (is_digit(*aa))
				aa++;
			while (is_digit(*bb))
				bb++;
			/* a number is newer than letters */
			r = sign((long)(aa != a) - (long)(bb != b));
			if (r)
				return r;
			while (*a == '0')
				a++;
			while (*b == '0')
				b++;
			r = sign((long)(aa - a) - (long)(bb - b));
			if (r)
				return r;
			r = sign(hs_memcmp(a, b, (size_t)(aa - a)));
		} else {
			while (is_alpha(*aa))
				aa++;
			while (is_alpha(*bb))
				bb++;
			size_t n = (size_t)HS_MIN(aa - a, bb - b);
			r = sign(hs_memcmp(a, b, n));
			if (!r)
				r = sign((long)(aa - a) - (long)(bb - b));
		}
		if (r)
			return r;
		a = aa;
		b = bb;
	}
}

/* --- names and order ------------------------------------------------- */

/* A decimal counter at s, up to INT_MAX as systemd-boot reads it; its end,
 * or NULL. */
static const char *counter(const char *s, int *ret)
{
	long v = 0;
	const char *p = s;

	for (; is_digit(*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > 0x7fffffffL)
			return NULL;
	}
	if (p == s)
		return NULL;
	*ret = (int)v;
	return p;
}

void entry_count(const char *fname, struct entry *e)
{
	size_t n = hs_strlen(fname), plus = n;
	int left, done = 0;

	e->tries_left = e->tries_done = ENTRY_NO_COUNT;
	hs_snprintf(e->file, sizeof(e->file), "%s", fname);
	hs_snprintf(e->id, sizeof(e->id), "%s", fname);
	e->next[0] = '\0';
	for (size_t i = 0; i < n; i++)
		if (fname[i] == '+')
			plus = i;
	if (plus == n)
		return;
	/* config_entry_parse_tries(): the last '+', LEFT, an optional -DONE,
	 * then exactly ".conf" (compared as written, as systemd-boot does) */
	const char *p = counter(fname + plus + 1, &left);
	if (p && *p == '-')
		p = counter(p + 1, &done);
	if (!p || hs_strcmp(p, ".conf"))
		return;
	char next[ENTRY_MAX_NAME];
	if (hs_snprintf(next, sizeof(next), "%.*s+%d-%d%s", (int)plus, fname,
			left > 0 ? left - 1 : 0, done < 0x7fffffff ? done + 1 : done, p) >= sizeof(next))
		return; /* a name that does not fit is not counted, rather than cut */
	e->tries_left = left;
	e->tries_done = done;
	hs_snprintf(e->id, sizeof(e->id), "%.*s%s", (int)plus, fname, p);
	hs_snprintf(e->next, sizeof(e->next), "%s", next);
}

/* systemd-boot 252's id: the whole file name, lower case */
static int cmp_file(const char *a, const char *b)
{
	char x[ENTRY_MAX_NAME], y[ENTRY_MAX_NAME];
	size_t i = 0;

	for (; a[i] && i + 1 < sizeof(x); i++)
		x[i] = lower(a[i]);
	x[i] = '\0';
	for (i = 0; b[i] && i + 1 < sizeof(y); i++)
		y[i] = lower(b[i]);
	y[i] = '\0';
	int r = entry_vercmp(x, y);
	return r ? r : sign(hs_strcmp(a, b));
}

static int cmp_str(const char *a, const char *b)
{
	return sign(hs_strcmp(a, b));
}

int entry_compare(const struct entry *a, const struct entry *b)
{
	int r = sign((long)(a->tries_left == 0) - (long)(b->tries_left == 0));

	if (r)
		return r;
	r = sign((long)!a->sort_key[0] - (long)!b->sort_key[0]);
	if (r)
		return r;
	if (a->sort_key[0] && b->sort_key[0]) {
		if ((r = cmp_str(a->sort_key, b->sort_key)) ||
		    (r = cmp_str(a->machine_id, b->machine_id)) ||
		    (r = -entry_vercmp(a->version, b->version)))
			return r;
	}
	r = -cmp_file(a->file, b->file);
	if (r || a->tries_left < 0 || b->tries_left < 0)
		return r;
	r = -sign((long)a->tries_left - (long)b->tries_left);
	return r ? r : sign((long)a->tries_done - (long)b->tries_done);
}

static void swap(struct entry *a, struct entry *b)
{
	struct entry t;

	hs_memcpy(&t, a, sizeof(t));
	hs_memcpy(a, b, sizeof(t));
	hs_memcpy(b, &t, sizeof(t));
}

static void sift(struct entry *e, size_t root, size_t n)
{
	for (size_t child; (child = 2 * root + 1) < n; root = child) {
		if (child + 1 < n && entry_compare(&e[child], &e[child + 1]) < 0)
			child++;
		if (entry_compare(&e[root], &e[child]) >= 0)
			return;
		swap(&e[root], &e[child]);
	}
}

/* Heapsort: entries are 4.5 KiB each, so O(n log n) moves and no buffer
 * (the order is total: file names are unique). */
void entries_sort(struct entry *e, size_t n)
{
	for (size_t i = n / 2; i-- > 0;)
		sift(e, i, n);
	for (size_t i = n; i-- > 1;) {
		swap(&e[0], &e[i]);
		sift(e, 0, i);
	}
}

/* One element of a glob (a character, '?', "\\x", a set "[a-z]") against
 * character c: the pattern after it, or NULL for a broken pattern (an
 * unclosed set, a trailing '\\').  Sets as efi_fnmatch() has them (src/
 * boot/efi/efi-string.c): a ']' first is literal, "a-z" a range unless the
 * '-' is first or last, '\\' escapes, no negation. */
static const char *element(const char *p, char c, bool *ret_hit)
{
	c = lower(c);
	if (*p == '\\') {
		*ret_hit = p[1] && lower(p[1]) == c;
		return p[1] ? p + 2 : NULL;
	}
	if (*p == '?') {
		*ret_hit = c != '\0';
		return p + 1;
	}
	if (*p != '[') {
		*ret_hit = lower(*p) == c;
		return p + 1;
	}
	bool hit = false;
	for (const char *q = p + 1;; q++) {
		if (!*q)
			return NULL;
		if (*q == '\\') {
			if (!*++q)
				return NULL;
			hit |= lower(*q) == c;
			continue;
		}
		if (*q == ']' && q != p + 1) {
			*ret_hit = hit && c;
			return q + 1;
		}
		if (q[1] == '-' && q[2] && q[2] != ']') {
			hit |= c >= lower(q[0]) && c <= lower(q[2]);
			q += 2;
		} else {
			hit |= lower(*q) == c;
		}
	}
}

/* The '*'-free segment at p against the start of h: true when it matches,
 * with *ret_p at the '*' or end that closes it and *ret_h past what it took. */
static bool segment(const char *p, const char *h, const char **ret_p, const char **ret_h)
{
	bool hit;

	for (; *p && *p != '*'; h++) {
		p = element(p, *h, &hit);
		if (!p || !hit)
			return false;
	}
	*ret_p = p;
	*ret_h = h;
	return true;
}

/* How many characters a '*'-free segment takes; -1 for a broken one. */
static long segment_len(const char *p)
{
	long n = 0;
	bool hit;

	for (; *p && *p != '*'; n++)
		if (!(p = element(p, 'x', &hit)))
			return -1;
	return n;
}

/*
 * efi_fnmatch()'s way, with no backtracking: the first segment must match
 * at the start, each middle one wherever it first matches after the last,
 * and the final one at the very end; a pattern of many stars costs no more
 * than one pass per segment.
 */
bool entry_glob(const char *p, const char *s)
{
	const char *pe, *se;

	if (!segment(p, s, &pe, &se))
		return false;
	if (!*pe)
		return !*se;
	for (s = se;;) {
		while (*pe == '*')
			pe++;
		if (!*pe)
			return true;
		bool last = true;
		for (const char *q = pe; *q; q++)
			if (*q == '*' && (q == pe || q[-1] != '\\'))
				last = false;
		if (last) {
			long k = segment_len(pe);
			size_t left = hs_strlen(s);
			return k >= 0 && (size_t)k <= left && segment(pe, s + left - (size_t)k, &pe, &se) &&
			       !*se;
		}
		const char *h = s;
		while (!segment(pe, h, &p, &se))
			if (!*h++)
				return false;
		pe = p;
		s = se;
	}
}

static int find(const struct entry *e, size_t n, const char *pattern)
{
	if (!pattern || !pattern[0])
		return -1;
	for (size_t i = 0; i < n; i++)
		if (entry_glob(pattern, e[i].id) || entry_glob(pattern, e[i].file))
			return (int)i;
	return -1;
}

int entries_default(const struct entry *e, size_t n, const char *oneshot, const char *efivar,
		    const char *conf)
{
	int i;

	if (!n)
		return -1;
	if ((i = find(e, n, oneshot)) >= 0 || (i = find(e, n, efivar)) >= 0 ||
	    (i = find(e, n, conf)) >= 0)
		return i;
	return 0;
}

/* --- files ----------------------------------------------------------- */

struct line {
	const char *key, *val;
	size_t klen, vlen;
	unsigned no;
};

/* The next "key value" line of text at *pos, or false at the end;
 * comments and blank lines skipped, CRLF taken as LF.  -HS_EINVAL
 * (in *ret_err) for a NUL byte. */
static bool next_line(const char *text, size_t len, size_t *pos, struct line *l, int *ret_err)
{
	while (*pos < len) {
		size_t s = *pos, e = s;
		while (e < len && text[e] != '\n')
			e++;
		*pos = e + 1;
		l->no++;
		for (size_t i = s; i < e; i++)
			if (!text[i]) {
				*ret_err = -HS_EINVAL;
				return false;
			}
		while (e > s && (text[e - 1] == '\r' || text[e - 1] == ' ' || text[e - 1] == '\t'))
			e--;
		while (s < e && (text[s] == ' ' || text[s] == '\t'))
			s++;
		if (s == e || text[s] == '#')
			continue;
		size_t k = s;
		while (k < e && text[k] != ' ' && text[k] != '\t')
			k++;
		l->key = text + s;
		l->klen = k - s;
		while (k < e && (text[k] == ' ' || text[k] == '\t'))
			k++;
		l->val = text + k;
		l->vlen = e - k;
		/* systemd-boot's line_get_key_value() takes one pair of quotes off */
		if (l->vlen >= 2 && ((l->val[0] == '"' && l->val[l->vlen - 1] == '"') ||
				     (l->val[0] == '\'' && l->val[l->vlen - 1] == '\''))) {
			l->val++;
			l->vlen -= 2;
		}
		return true;
	}
	return false;
}

static bool key_is(const struct line *l, const char *k)
{
	return l->klen == hs_strlen(k) && !hs_memcmp(l->key, k, l->klen);
}

static void note(struct entry_notes *n, const char *fname, const struct line *l, const char *why)
{
	if (n && n->count < HS_ARRAY_SIZE(n->line))
		hs_snprintf(n->line[n->count++], sizeof(n->line[0]), "%s line %u: %s", fname, l->no,
			    why);
}

/* A one-value key into dst; a second one wins, with a note. */
static int set_value(char *dst, size_t cap, const struct line *l, const char *fname,
		     struct entry_notes *notes, struct hs_err *err)
{
	char why[80];

	if (l->vlen >= cap) {
		hs_err_set(err, "%s line %u: %.*s is longer than %zu characters", fname, l->no,
			   (int)l->klen, l->key, cap - 1);
		return -HS_EINVAL;
	}
	if (dst[0]) {
		hs_snprintf(why, sizeof(why), "'%.*s' again: this one wins", (int)l->klen, l->key);
		note(notes, fname, l, why);
	}
	hs_memcpy(dst, l->val, l->vlen);
	dst[l->vlen] = '\0';
	return 0;
}

/* A path of the entry's partition: '/' or '\', always from its root. */
static int set_path(char *dst, const struct line *l, const char *fname, struct hs_err *err)
{
	if (!l->vlen || l->vlen + 1 >= CLI_MAX_PATH) {
		hs_err_set(err, "%s line %u: %.*s needs a path of 1 to %d characters", fname, l->no,
			   (int)l->klen, l->key, CLI_MAX_PATH - 2);
		return -HS_EINVAL;
	}
	size_t o = 0;
	if (l->val[0] != '/' && l->val[0] != '\\')
		dst[o++] = '\\';
	for (size_t i = 0; i < l->vlen; i++)
		dst[o++] = l->val[i] == '/' ? '\\' : l->val[i];
	dst[o] = '\0';
	return 0;
}

static int add_options(struct entry *e, const struct line *l, const char *fname,
		       struct hs_err *err)
{
	size_t o = hs_strlen(e->options);

	if (o + (o != 0) + l->vlen >= sizeof(e->options)) {
		hs_err_set(err, "%s line %u: the options are longer than %zu characters", fname,
			   l->no, sizeof(e->options) - 1);
		return -HS_EINVAL;
	}
	if (o)
		e->options[o++] = ' ';
	hs_memcpy(e->options + o, l->val, l->vlen);
	e->options[o + l->vlen] = '\0';
	return 0;
}

static int entry_line(struct entry *e, const struct line *l, const char *fname,
		      struct entry_notes *notes, struct hs_err *err)
{
	/* keys in place: no relocation per entry in the EFI image */
	static const struct { char key[13]; uint16_t off; } one[] = {
		{ "title", offsetof(struct entry, title) },
		{ "version", offsetof(struct entry, version) },
		{ "machine-id", offsetof(struct entry, machine_id) },
		{ "sort-key", offsetof(struct entry, sort_key) },
		{ "architecture", offsetof(struct entry, architecture) },
	};

	for (size_t i = 0; i < HS_ARRAY_SIZE(one); i++)
		if (key_is(l, one[i].key))
			return set_value((char *)e + one[i].off, ENTRY_MAX_VALUE, l, fname, notes, err);
	if (key_is(l, "linux")) {
		if (e->kernel[0])
			note(notes, fname, l, "'linux' again: this one wins");
		return set_path(e->kernel, l, fname, err);
	}
	if (key_is(l, "initrd")) {
		if (e->ninitrd == CLI_MAX_INITRDS) {
			hs_err_set(err, "%s line %u: more than %d initrds", fname, l->no,
				   CLI_MAX_INITRDS);
			return -HS_E2BIG;
		}
		return set_path(e->initrd[e->ninitrd++], l, fname, err);
	}
	if (key_is(l, "options"))
		return add_options(e, l, fname, err);
	return 0; /* efi, devicetree and the like: systemd-boot's, not ours */
}

int entry_parse(const char *text, size_t len, const char *fname, struct entry *ret,
		struct entry_notes *notes, struct hs_err *err)
{
	struct line l = { 0 };
	size_t pos = 0;
	int bad = 0, r;

	hs_memset(ret, 0, sizeof(*ret));
	if (notes)
		notes->count = 0;
	entry_count(fname, ret);
	if (len > ENTRY_MAX_FILE_BYTES) {
		hs_err_set(err, "%s: %zu bytes, more than an entry needs (%d)", fname, len,
			   ENTRY_MAX_FILE_BYTES);
		return -HS_E2BIG;
	}
	while (next_line(text, len, &pos, &l, &bad))
		if ((r = entry_line(ret, &l, fname, notes, err)) < 0)
			return r;
	if (bad) {
		hs_err_set(err, "%s line %u: binary data (a NUL byte), not an entry", fname, l.no);
		return bad;
	}
	if (!ret->kernel[0]) {
		hs_err_set(err, "%s: no 'linux' line, nothing to boot", fname);
		return -HS_EINVAL;
	}
	/* the UEFI architecture names: hotshim boots x64 kernels only */
	if (ret->architecture[0] && hs_strcmp(ret->architecture, "x64") &&
	    hs_strcmp(ret->architecture, "X64")) {
		hs_err_set(err, "%s: for architecture %s, not x64", fname, ret->architecture);
		return -HS_EINVAL;
	}
	if (!ret->title[0])
		hs_snprintf(ret->title, sizeof(ret->title), "%s", ret->id);
	return 0;
}

int loader_conf_parse(const char *text, size_t len, const char *fname, struct loader_conf *ret,
		      struct entry_notes *notes, struct hs_err *err)
{
	struct line l = { 0 };
	size_t pos = 0;
	int bad = 0;

	hs_memset(ret, 0, sizeof(*ret));
	ret->timeout = LOADER_TIMEOUT_UNSET;
	if (notes)
		notes->count = 0;
	if (len > ENTRY_MAX_FILE_BYTES) {
		hs_err_set(err, "%s: %zu bytes, more than a loader.conf needs (%d)", fname, len,
			   ENTRY_MAX_FILE_BYTES);
		return -HS_E2BIG;
	}
	while (next_line(text, len, &pos, &l, &bad)) {
		if (key_is(&l, "default")) {
			if (l.vlen >= sizeof(ret->default_pattern))
				goto too_long;
			hs_memcpy(ret->default_pattern, l.val, l.vlen);
			ret->default_pattern[l.vlen] = '\0';
		} else if (key_is(&l, "timeout")) {
			if (l.vlen == 10 && !hs_memcmp(l.val, "menu-force", 10)) {
				ret->timeout = LOADER_MENU_FORCE;
			} else if (l.vlen == 11 && !hs_memcmp(l.val, "menu-hidden", 11)) {
				ret->timeout = 0;
			} else {
				int t = 0;
				size_t i = 0;
				/* a value is a slice of the file: bounded, never NUL-ended */
				for (; i < l.vlen && i < 6 && is_digit(l.val[i]); i++)
					t = t * 10 + (l.val[i] - '0');
				if (!i || i != l.vlen)
					note(notes, fname, &l, "timeout is not a number of seconds, "
							       "menu-force or menu-hidden; ignored");
				else
					ret->timeout = t;
			}
		} else if (key_is(&l, "console-mode")) {
			if (l.vlen >= sizeof(ret->console_mode))
				goto too_long;
			hs_memcpy(ret->console_mode, l.val, l.vlen);
			ret->console_mode[l.vlen] = '\0';
		}
	}
	if (bad) {
		hs_err_set(err, "%s line %u: binary data (a NUL byte)", fname, l.no);
		goto defaults;
	}
	return 0;
too_long:
	hs_err_set(err, "%s line %u: %.*s is too long", fname, l.no, (int)l.klen, l.key);
defaults:
	hs_memset(ret, 0, sizeof(*ret));
	ret->timeout = LOADER_TIMEOUT_UNSET;
	return -HS_EINVAL;
}
