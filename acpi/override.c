#include "override.h"

/* drivers/acpi/tables.c table_sigs[] of 6.1; four bytes each, compared
 * with hs_memcmp, so no NUL is stored. */
static const char sigs[][4] = {
	"BERT", "BGRT", "CPEP", "ECDT", "EINJ", "ERST", "HEST", "APIC", "MSCT", "SBST",
	"SLIT", "SRAT", "ASF!", "BOOT", "DBGP", "DMAR", "HPET", "IBFT", "IVRS", "MCFG",
	"MCHI", "SLIC", "SPCR", "SPMI", "TCPA", "UEFI", "WAET", "WDAT", "WDDT", "WDRT",
	"DSDT", "FACP", "PSDT", "RSDT", "XSDT", "SSDT", "IORT", "NFIT", "HMAT", "PPTT",
	"NHLT", "AEST", "CEDT", "AGDI",
};

bool ovr_sig_allowed(const char sig[4])
{
	for (size_t i = 0; i < HS_ARRAY_SIZE(sigs); i++)
		if (!hs_memcmp(sig, sigs[i], 4))
			return true;
	return false;
}

static bool same_ids(const struct acpi_header *a, const struct acpi_header *b)
{
	return !hs_memcmp(a->oem_id, b->oem_id, 6) && !hs_memcmp(a->oem_table_id, b->oem_table_id, 8);
}

void ovr_select(struct hs_view initrd, const char sig[4], const struct acpi_header *fw,
		bool locked_down, struct ovr_result *r)
{
	struct cpio_iter it;
	struct cpio_file f;

	hs_memset(r, 0, sizeof(*r));
	r->chosen = -1;
	cpio_iter_init(&it, initrd);

	/* acpi_table_upgrade(): the first 64 files under the path, whatever
	 * becomes of them */
	while (r->count < OVR_MAX_FILES) {
		int got;
		while ((got = cpio_next(&it, &f)) == 1 && !cpio_match(&f, OVR_PATH))
			;
		if (got != 1)
			break;
		struct ovr_candidate *c = &r->c[r->count++];
		cpio_name(&f, c->name, sizeof(c->name));
		c->offset = (size_t)(f.data - initrd.data);
		c->table = (struct hs_view){ f.data, f.size };
		if (f.size < ACPI_HDR_LEN) {
			c->verdict = OVR_TOO_SMALL;
			continue;
		}
		acpi_header_read(c->table, &c->hdr);
		if (!ovr_sig_allowed(c->hdr.sig))
			c->verdict = OVR_UNKNOWN_SIG;
		else if (f.size != c->hdr.length)
			c->verdict = OVR_BAD_LENGTH;
		else if (acpi_sum(f.data, f.size) != 0)
			c->verdict = OVR_BAD_CHECKSUM;
		else
			c->verdict = OVR_OTHER_TABLE; /* taken; refined below */
	}
	r->hit_limit = r->count == OVR_MAX_FILES && !it.done;
	if (!it.done) {
		r->stop_what = "Linux's limit of 64 files";
		r->stop_off = it.off;
	} else {
		r->stop = it.stop;
		r->stop_off = it.stop_off;
		r->stop_what = cpio_stop_describe(&it);
	}

	for (unsigned i = 0; i < r->count; i++) {
		struct ovr_candidate *c = &r->c[i];
		if (c->verdict != OVR_OTHER_TABLE || hs_memcmp(c->hdr.sig, sig, 4))
			continue;
		if (locked_down) {
			/* "kernel is locked down, ignoring table override" */
			c->verdict = OVR_SECURE_BOOT;
		} else if (!fw) {
			/* acpi_table_initrd_scan() installs it; the first one is
			 * instance 0, the one Linux reads */
			c->verdict = r->chosen < 0 ? OVR_INSTALLED : OVR_SHADOWED;
			if (r->chosen < 0)
				r->chosen = (int)i;
		} else if (!same_ids(&c->hdr, fw)) {
			c->verdict = OVR_OTHER_IDS;
		} else if (r->chosen >= 0) {
			c->verdict = OVR_SHADOWED;
		} else if (fw->oem_revision >= c->hdr.oem_revision) {
			/* marked used by acpi_table_initrd_override() all the same */
			c->verdict = OVR_NOT_HIGHER;
		} else {
			c->verdict = OVR_CHOSEN;
			r->chosen = (int)i;
		}
	}
	if (locked_down)
		for (unsigned i = 0; i < r->count; i++)
			if (r->c[i].verdict == OVR_OTHER_TABLE)
				r->c[i].verdict = OVR_SECURE_BOOT;
}

void ovr_describe(const struct ovr_candidate *c, const struct acpi_header *fw, char *buf,
		  size_t cap)
{
	const struct acpi_header *h = &c->hdr;

	switch (c->verdict) {
	case OVR_TOO_SMALL:
		hs_snprintf(buf, cap, "rejected: %zu bytes, smaller than an ACPI header", c->table.len);
		break;
	case OVR_UNKNOWN_SIG:
		hs_snprintf(buf, cap, "rejected: unknown signature \"%.4s\"", h->sig);
		break;
	case OVR_BAD_LENGTH:
		hs_snprintf(buf, cap, "rejected: file length %zu does not match table length %u",
			    c->table.len, h->length);
		break;
	case OVR_BAD_CHECKSUM:
		hs_snprintf(buf, cap, "rejected: bad checksum");
		break;
	case OVR_OTHER_TABLE:
		hs_snprintf(buf, cap, "%.4s table, not the one this report reads", h->sig);
		break;
	case OVR_NOT_HIGHER:
		hs_snprintf(buf, cap, "rejected: not a higher OEM revision (%u <= %u)", h->oem_revision,
			    fw ? fw->oem_revision : 0);
		break;
	case OVR_OTHER_IDS:
		hs_snprintf(buf, cap, "ignored: OEM ID \"%s\" / table ID \"%s\" differ from the "
				      "firmware's \"%s\" / \"%s\" (Linux installs it beside, and reads "
				      "the firmware's)",
			    h->oem_id, h->oem_table_id, fw ? fw->oem_id : "", fw ? fw->oem_table_id : "");
		break;
	case OVR_SHADOWED:
		hs_snprintf(buf, cap, "ignored: an earlier file already takes the table's place");
		break;
	case OVR_SECURE_BOOT:
		hs_snprintf(buf, cap, "refused under Secure Boot (Linux's lockdown ignores table "
				      "overrides)");
		break;
	case OVR_CHOSEN:
		hs_snprintf(buf, cap, "override (OEM rev %u > %u)", h->oem_revision,
			    fw ? fw->oem_revision : 0);
		break;
	case OVR_INSTALLED:
		hs_snprintf(buf, cap, "installed (the firmware has none)");
		break;
	}
}


void ovr_linux_log(const struct ovr_result *r, const char sig[4], bool locked_down,
		   struct hs_sink *log)
{
	bool any = false;

	for (unsigned i = 0; i < r->count; i++) {
		const struct ovr_candidate *c = &r->c[i];
		/* find_cpio_data() keeps 17 characters of the name past the path */
		char name[18];
		const char *tail = c->name + hs_strlen(OVR_PATH);
		hs_snprintf(name, sizeof(name), "%s", tail);
		switch (c->verdict) {
		case OVR_TOO_SMALL:
			hs_println(log, "ACPI: ACPI OVERRIDE: Table smaller than ACPI header [%s%s]", OVR_PATH, name);
			break;
		case OVR_UNKNOWN_SIG:
			hs_println(log, "ACPI: ACPI OVERRIDE: Unknown signature [%s%s]", OVR_PATH, name);
			break;
		case OVR_BAD_LENGTH:
			hs_println(log, "ACPI: ACPI OVERRIDE: File length does not match table length [%s%s]",
			    OVR_PATH, name);
			break;
		case OVR_BAD_CHECKSUM:
			hs_println(log, "ACPI: ACPI OVERRIDE: Bad table checksum [%s%s]", OVR_PATH, name);
			break;
		default:
			hs_println(log, "ACPI: %.4s ACPI table found in initrd [%s%s][%#x]", c->hdr.sig, OVR_PATH,
			    name, c->hdr.length);
			any = true;
			break;
		}
	}
	if (any && locked_down) {
		hs_println(log, "ACPI: kernel is locked down, ignoring table override");
		return;
	}
	if (r->chosen >= 0 && r->c[r->chosen].verdict == OVR_CHOSEN) {
		const struct acpi_header *h = &r->c[r->chosen].hdr;
		hs_println(log, "ACPI: Table Upgrade: override [%.4s-%.6s-%.8s]", sig, h->oem_id,
		    h->oem_table_id);
	}
}
