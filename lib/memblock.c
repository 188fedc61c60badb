#include "memblock.h"

const char *mb_owner_name(enum mb_owner o)
{
	/* in enum mb_owner's order */
	return hs_nth_name("memory\0firmware\0hotshim\0kernel\0initrd\0module\0page tables\0"
			   "boot info\0command line\0ACPI copy\0stack\0", o, "?");
}

static bool same_attrs(const struct mb_region *a, const struct mb_region *b)
{
	return a->node == b->node && a->flags == b->flags && a->owner == b->owner;
}

static void erase(struct mb_type *t, size_t i)
{
	for (size_t j = i + 1; j < t->count; j++)
		t->r[j - 1] = t->r[j];
	t->count--;
}

static int insert(struct mb_type *t, size_t i, struct mb_region r)
{
	if (t->count >= t->cap)
		return -HS_ENOSPC;
	for (size_t j = t->count; j > i; j--)
		t->r[j] = t->r[j - 1];
	t->r[i] = r;
	t->count++;
	return 0;
}

/* Joins neighbours that touch and look alike. */
static void merge(struct mb_type *t)
{
	for (size_t i = 0; i + 1 < t->count;) {
		struct mb_region *a = &t->r[i], *b = &t->r[i + 1];
		if (a->last != UINT64_MAX && a->last + 1 == b->base && same_attrs(a, b)) {
			a->last = b->last;
			erase(t, i + 1);
		} else {
			i++;
		}
	}
}

/* Splits regions so that base and last + 1 are region edges.  Needs room
 * for two more regions, checked up front so nothing is half done. */
static int isolate(struct mb_type *t, uint64_t base, uint64_t last)
{
	size_t need = 0;

	for (size_t i = 0; i < t->count; i++) {
		const struct mb_region *r = &t->r[i];
		if (r->base < base && base <= r->last)
			need++;
		if (r->base <= last && last < r->last)
			need++;
	}
	if (t->count + need > t->cap)
		return -HS_ENOSPC;
	for (size_t i = 0; i < t->count; i++) {
		struct mb_region *r = &t->r[i];
		if (r->base < base && base <= r->last) {
			struct mb_region hi = *r;
			hi.base = base;
			r->last = base - 1;
			insert(t, i + 1, hi);
			continue;
		}
		if (r->base <= last && last < r->last) {
			struct mb_region hi = *r;
			hi.base = last + 1;
			r->last = last;
			insert(t, i + 1, hi);
		}
	}
	return 0;
}

/* First region that ends at or after pos. */
static size_t first_from(const struct mb_type *t, uint64_t pos)
{
	size_t i = 0;

	while (i < t->count && t->r[i].last < pos)
		i++;
	return i;
}

/* Walks the gaps of [base, last] not covered by the array; inserts them
 * when insert_ is true, else only counts them. */
static size_t fill_gaps(struct mb_type *t, uint64_t base, uint64_t last, struct mb_region nr,
			bool insert_)
{
	uint64_t pos = base;
	size_t gaps = 0;

	for (;;) {
		size_t i = first_from(t, pos);
		if (i < t->count && t->r[i].base <= pos) {
			if (t->r[i].last >= last)
				break;
			pos = t->r[i].last + 1;
			continue;
		}
		uint64_t gap_last = (i < t->count && t->r[i].base <= last) ? t->r[i].base - 1 : last;
		/* a neighbour that touches and looks alike grows instead: a full
		 * array still takes an add that only fills holes */
		bool left = i > 0 && t->r[i - 1].last + 1 == pos && same_attrs(&t->r[i - 1], &nr);
		bool right = i < t->count && gap_last + 1 == t->r[i].base && same_attrs(&t->r[i], &nr);
		if (!left && !right)
			gaps++;
		if (insert_) {
			if (left) {
				t->r[i - 1].last = gap_last;
			} else if (right) {
				t->r[i].base = pos;
			} else {
				nr.base = pos;
				nr.last = gap_last;
				insert(t, i, nr);
			}
		}
		if (gap_last >= last)
			break;
		pos = gap_last + 1;
	}
	return gaps;
}

int mb_add(struct mb_type *t, uint64_t base, uint64_t last, int32_t node, unsigned flags,
	   unsigned owner)
{
	struct mb_region nr = { 0, 0, node, (uint16_t)flags, (uint16_t)owner };

	if (last < base)
		return -HS_EINVAL;
	if (t->count + fill_gaps(t, base, last, nr, false) > t->cap)
		return -HS_ENOSPC;
	fill_gaps(t, base, last, nr, true);
	merge(t);
	return 0;
}

int mb_remove(struct mb_type *t, uint64_t base, uint64_t last)
{
	int r;

	if (last < base)
		return -HS_EINVAL;
	r = isolate(t, base, last);
	if (r < 0)
		return r;
	for (size_t i = 0; i < t->count;) {
		if (t->r[i].base >= base && t->r[i].last <= last)
			erase(t, i);
		else
			i++;
	}
	return 0;
}

int mb_update(struct mb_type *t, uint64_t base, uint64_t last, unsigned set, unsigned clear,
	      bool set_node, int32_t node)
{
	int r;

	if (last < base)
		return -HS_EINVAL;
	r = isolate(t, base, last);
	if (r < 0)
		return r;
	for (size_t i = 0; i < t->count; i++) {
		struct mb_region *g = &t->r[i];
		if (g->base >= base && g->last <= last) {
			g->flags = (uint16_t)((g->flags | set) & ~clear);
			if (set_node)
				g->node = node;
		}
	}
	merge(t);
	return 0;
}

const struct mb_region *mb_find(const struct mb_type *t, uint64_t addr)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->r[i].base <= addr && addr <= t->r[i].last)
			return &t->r[i];
	return NULL;
}

bool mb_overlaps(const struct mb_type *t, uint64_t base, uint64_t last)
{
	for (size_t i = 0; i < t->count; i++)
		if (t->r[i].base <= last && base <= t->r[i].last)
			return true;
	return false;
}
