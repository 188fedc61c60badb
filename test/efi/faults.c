/*
 * test-faults.efi: a test tool, not part of hotshim.  Starts \hotshim.efi
 * from its own volume again and again, each time with one firmware call
 * made to fail, and checks how hotshim takes it.
 *
 *   test-faults.efi sweep ARGS...   ARGS is hotshim's command line
 *   test-faults.efi stale K ARGS... ExitBootServices says "stale map key"
 *                                   K times, then hotshim boots for real
 *   test-faults.efi one SERVICE N ARGS...
 *                                   call N of SERVICE fails, and what
 *                                   hotshim prints is shown (to debug)
 *
 * hotshim gets a copy of the system table whose boot and runtime services,
 * console and file protocols are this tool's: each call is counted and
 * forwarded, and the Nth call of the service under test fails instead.
 * sweep first runs hotshim once with nothing failing, stopping it where it
 * calls ExitBootServices (through Exit(), as if it had returned), to count
 * the calls of each service; then, for every service and every N up to
 * that count, one run with call N failing.  Each run prints
 *
 *   faults: SERVICE #N STATUS: returned STATUS, said "LINE"; left P pages,
 *     Q pools, F files, map D pages: ok|BAD (why)
 *
 * ok: the last line hotshim printed is its one error line and names the
 * status it returned (with no ARGS, the boot entries: each entry that
 * failed has its line before the last), and nothing it allocated or opened is left (its own
 * allocations counted one by one, and the loader pages of the firmware's
 * map before and after); or it went on and reached ExitBootServices (or
 * returned success) having taken the failure in its stride.  The tool ends
 * with "faults: N runs, M bad".
 */
#include <efi.h>
#include <efilib.h>

enum svc {
	S_ALLOCATE_PAGES, S_ALLOCATE_POOL, S_GET_MEMORY_MAP, S_HANDLE_PROTOCOL, S_OPEN_PROTOCOL,
	S_LOCATE_PROTOCOL, S_LOAD_IMAGE, S_OPEN_VOLUME, S_FILE_OPEN, S_FILE_READ, S_FILE_GET_INFO,
	S_GET_VARIABLE, S_SET_VARIABLE, S_EXIT_BOOT_SERVICES, S_COUNT
};

static const struct {
	const CHAR16 *name;
	EFI_STATUS fails_with;
} svcs[S_COUNT] = {
	[S_ALLOCATE_PAGES] = { L"AllocatePages", EFI_OUT_OF_RESOURCES },
	[S_ALLOCATE_POOL] = { L"AllocatePool", EFI_OUT_OF_RESOURCES },
	[S_GET_MEMORY_MAP] = { L"GetMemoryMap", EFI_INVALID_PARAMETER },
	[S_HANDLE_PROTOCOL] = { L"HandleProtocol", EFI_UNSUPPORTED },
	[S_OPEN_PROTOCOL] = { L"OpenProtocol", EFI_UNSUPPORTED },
	[S_LOCATE_PROTOCOL] = { L"LocateProtocol", EFI_NOT_FOUND },
	[S_LOAD_IMAGE] = { L"LoadImage", EFI_SECURITY_VIOLATION },
	[S_OPEN_VOLUME] = { L"OpenVolume", EFI_DEVICE_ERROR },
	[S_FILE_OPEN] = { L"File.Open", EFI_DEVICE_ERROR },
	[S_FILE_READ] = { L"File.Read", EFI_DEVICE_ERROR },
	[S_FILE_GET_INFO] = { L"File.GetInfo", EFI_DEVICE_ERROR },
	[S_GET_VARIABLE] = { L"GetVariable", EFI_DEVICE_ERROR },
	[S_SET_VARIABLE] = { L"SetVariable", EFI_OUT_OF_RESOURCES },
	[S_EXIT_BOOT_SERVICES] = { L"ExitBootServices", EFI_INVALID_PARAMETER },
};

/* the run: which call fails, and what happened */
static struct {
	enum svc svc;      /* S_COUNT: none */
	UINTN n, times;    /* calls n .. n + times - 1 of svc fail */
	UINTN calls[S_COUNT];
	BOOLEAN fired;
	BOOLEAN stop_at_exit; /* Exit() hotshim where it calls ExitBootServices */
	BOOLEAN reached_exit;
} run;

static EFI_HANDLE child;
static BOOLEAN show; /* one: trace the calls, pass hotshim's output through */
static EFI_BOOT_SERVICES real_bs, my_bs;
static EFI_RUNTIME_SERVICES real_rt, my_rt;
static EFI_SYSTEM_TABLE my_st;

static BOOLEAN fails(enum svc s)
{
	UINTN c = ++run.calls[s];
	if (show)
		Print(L"[faults: %s #%lu]\n", svcs[s].name, c);
	if (s != run.svc || c < run.n || c >= run.n + run.times)
		return FALSE;
	run.fired = TRUE;
	return TRUE;
}

/* ---- what hotshim holds: pages, pools, open files ---------------------- */

#define MAX_HELD 4096
static struct {
	EFI_PHYSICAL_ADDRESS addr;
	UINTN pages;
} held_pages[MAX_HELD];
static void *held_pools[MAX_HELD];
static UINTN n_pages, n_pools, n_files;

static void hold_pages(EFI_PHYSICAL_ADDRESS a, UINTN n)
{
	if (n_pages < MAX_HELD)
		held_pages[n_pages++] = (typeof(held_pages[0])){ a, n };
}

static void drop_pages(EFI_PHYSICAL_ADDRESS a, UINTN n)
{
	for (UINTN i = 0; i < n_pages; i++)
		if (held_pages[i].addr == a && held_pages[i].pages == n) {
			held_pages[i] = held_pages[--n_pages];
			return;
		}
}

static void drop_pool(void *p)
{
	for (UINTN i = 0; i < n_pools; i++)
		if (held_pools[i] == p) {
			held_pools[i] = held_pools[--n_pools];
			return;
		}
}

/* ---- boot services ------------------------------------------------------ */

static EFI_STATUS EFIAPI w_allocate_pages(EFI_ALLOCATE_TYPE t, EFI_MEMORY_TYPE m, UINTN n,
					  EFI_PHYSICAL_ADDRESS *a)
{
	if (fails(S_ALLOCATE_PAGES))
		return svcs[S_ALLOCATE_PAGES].fails_with;
	EFI_STATUS st = real_bs.AllocatePages(t, m, n, a);
	if (!EFI_ERROR(st))
		hold_pages(*a, n);
	return st;
}

static EFI_STATUS EFIAPI w_free_pages(EFI_PHYSICAL_ADDRESS a, UINTN n)
{
	EFI_STATUS st = real_bs.FreePages(a, n);
	if (!EFI_ERROR(st))
		drop_pages(a, n);
	return st;
}

static EFI_STATUS EFIAPI w_allocate_pool(EFI_MEMORY_TYPE m, UINTN n, void **p)
{
	if (fails(S_ALLOCATE_POOL))
		return svcs[S_ALLOCATE_POOL].fails_with;
	EFI_STATUS st = real_bs.AllocatePool(m, n, p);
	if (!EFI_ERROR(st) && n_pools < MAX_HELD)
		held_pools[n_pools++] = *p;
	return st;
}

static EFI_STATUS EFIAPI w_free_pool(void *p)
{
	drop_pool(p); /* pool the firmware allocated for hotshim is not listed */
	return real_bs.FreePool(p);
}

static EFI_STATUS EFIAPI w_get_memory_map(UINTN *size, EFI_MEMORY_DESCRIPTOR *map, UINTN *key,
					  UINTN *dsize, UINT32 *dver)
{
	if (fails(S_GET_MEMORY_MAP))
		return svcs[S_GET_MEMORY_MAP].fails_with;
	return real_bs.GetMemoryMap(size, map, key, dsize, dver);
}

static void *wrap_protocol(EFI_GUID *g, void *iface);

static EFI_STATUS EFIAPI w_handle_protocol(EFI_HANDLE h, EFI_GUID *g, void **iface)
{
	if (fails(S_HANDLE_PROTOCOL))
		return svcs[S_HANDLE_PROTOCOL].fails_with;
	EFI_STATUS st = real_bs.HandleProtocol(h, g, iface);
	if (!EFI_ERROR(st) && iface)
		*iface = wrap_protocol(g, *iface);
	return st;
}

static EFI_STATUS EFIAPI w_open_protocol(EFI_HANDLE h, EFI_GUID *g, void **iface, EFI_HANDLE agent,
					 EFI_HANDLE ctl, UINT32 attr)
{
	if (fails(S_OPEN_PROTOCOL))
		return svcs[S_OPEN_PROTOCOL].fails_with;
	EFI_STATUS st = real_bs.OpenProtocol(h, g, iface, agent, ctl, attr);
	if (!EFI_ERROR(st) && iface)
		*iface = wrap_protocol(g, *iface);
	return st;
}

static EFI_STATUS EFIAPI w_locate_protocol(EFI_GUID *g, void *reg, void **iface)
{
	if (fails(S_LOCATE_PROTOCOL))
		return svcs[S_LOCATE_PROTOCOL].fails_with;
	EFI_STATUS st = real_bs.LocateProtocol(g, reg, iface);
	if (!EFI_ERROR(st) && iface)
		*iface = wrap_protocol(g, *iface);
	return st;
}

static EFI_STATUS EFIAPI w_load_image(BOOLEAN boot, EFI_HANDLE parent, EFI_DEVICE_PATH *dp,
				      void *src, UINTN size, EFI_HANDLE *ret)
{
	if (fails(S_LOAD_IMAGE))
		return svcs[S_LOAD_IMAGE].fails_with;
	return real_bs.LoadImage(boot, parent, dp, src, size, ret);
}

static EFI_STATUS EFIAPI w_exit_boot_services(EFI_HANDLE image, UINTN key)
{
	if (fails(S_EXIT_BOOT_SERVICES))
		return svcs[S_EXIT_BOOT_SERVICES].fails_with;
	if (run.stop_at_exit) {
		/* the point of no return: end hotshim here as if it had
		 * returned (Exit() from inside it is allowed: it is the
		 * running image) */
		run.reached_exit = TRUE;
		real_bs.Exit(child, EFI_ABORTED, 0, NULL);
	}
	return real_bs.ExitBootServices(image, key);
}

/* Time runs a thousand times faster for hotshim's timers: a menu's
 * countdown after a failure takes milliseconds, not seconds. */
#define TIME_SPEEDUP 1000

static EFI_STATUS EFIAPI w_set_timer(EFI_EVENT ev, EFI_TIMER_DELAY type, UINT64 ticks)
{
	return real_bs.SetTimer(ev, type, ticks / TIME_SPEEDUP);
}

/* ---- runtime services --------------------------------------------------- */

static EFI_STATUS EFIAPI w_get_variable(CHAR16 *name, EFI_GUID *g, UINT32 *attr, UINTN *size,
					void *data)
{
	if (fails(S_GET_VARIABLE))
		return svcs[S_GET_VARIABLE].fails_with;
	return real_rt.GetVariable(name, g, attr, size, data);
}

static EFI_STATUS EFIAPI w_set_variable(CHAR16 *name, EFI_GUID *g, UINT32 attr, UINTN size,
					void *data)
{
	if (fails(S_SET_VARIABLE))
		return svcs[S_SET_VARIABLE].fails_with;
	return real_rt.SetVariable(name, g, attr, size, data);
}

/* ---- file protocols: the volume and each open file wrapped -------------- */

struct wfile {
	EFI_FILE_PROTOCOL api;
	EFI_FILE_PROTOCOL *real;
	BOOLEAN used;
};
static struct wfile files[256];

#define REAL(this) (((struct wfile *)(this))->real)

static EFI_FILE_PROTOCOL *wrap_file(EFI_FILE_PROTOCOL *real);

static EFI_STATUS EFIAPI f_open(EFI_FILE_PROTOCOL *this, EFI_FILE_PROTOCOL **ret, CHAR16 *name,
				UINT64 mode, UINT64 attr)
{
	EFI_FILE_PROTOCOL *r;

	if (fails(S_FILE_OPEN))
		return svcs[S_FILE_OPEN].fails_with;
	EFI_STATUS st = REAL(this)->Open(REAL(this), &r, name, mode, attr);
	if (!EFI_ERROR(st)) {
		*ret = wrap_file(r);
		if (!*ret) {
			r->Close(r);
			return EFI_OUT_OF_RESOURCES;
		}
	}
	return st;
}

static EFI_STATUS EFIAPI f_close(EFI_FILE_PROTOCOL *this)
{
	EFI_STATUS st = REAL(this)->Close(REAL(this));
	((struct wfile *)this)->used = FALSE;
	n_files--;
	return st;
}

static EFI_STATUS EFIAPI f_delete(EFI_FILE_PROTOCOL *this)
{
	EFI_STATUS st = REAL(this)->Delete(REAL(this));
	((struct wfile *)this)->used = FALSE;
	n_files--;
	return st;
}

static EFI_STATUS EFIAPI f_read(EFI_FILE_PROTOCOL *this, UINTN *size, void *buf)
{
	if (fails(S_FILE_READ))
		return svcs[S_FILE_READ].fails_with;
	return REAL(this)->Read(REAL(this), size, buf);
}

static EFI_STATUS EFIAPI f_write(EFI_FILE_PROTOCOL *this, UINTN *size, void *buf)
{
	return REAL(this)->Write(REAL(this), size, buf);
}

static EFI_STATUS EFIAPI f_get_position(EFI_FILE_PROTOCOL *this, UINT64 *pos)
{
	return REAL(this)->GetPosition(REAL(this), pos);
}

static EFI_STATUS EFIAPI f_set_position(EFI_FILE_PROTOCOL *this, UINT64 pos)
{
	return REAL(this)->SetPosition(REAL(this), pos);
}

static EFI_STATUS EFIAPI f_get_info(EFI_FILE_PROTOCOL *this, EFI_GUID *g, UINTN *size, void *buf)
{
	if (fails(S_FILE_GET_INFO))
		return svcs[S_FILE_GET_INFO].fails_with;
	return REAL(this)->GetInfo(REAL(this), g, size, buf);
}

static EFI_STATUS EFIAPI f_set_info(EFI_FILE_PROTOCOL *this, EFI_GUID *g, UINTN size, void *buf)
{
	return REAL(this)->SetInfo(REAL(this), g, size, buf);
}

static EFI_STATUS EFIAPI f_flush(EFI_FILE_PROTOCOL *this)
{
	return REAL(this)->Flush(REAL(this));
}

static EFI_FILE_PROTOCOL *wrap_file(EFI_FILE_PROTOCOL *real)
{
	for (UINTN i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct wfile *w = &files[i];
		if (w->used)
			continue;
		ZeroMem(w, sizeof(*w));
		w->api = (EFI_FILE_PROTOCOL){
			.Revision = EFI_FILE_PROTOCOL_REVISION, .Open = f_open, .Close = f_close,
			.Delete = f_delete, .Read = f_read, .Write = f_write,
			.GetPosition = f_get_position, .SetPosition = f_set_position,
			.GetInfo = f_get_info, .SetInfo = f_set_info, .Flush = f_flush,
		};
		w->real = real;
		w->used = TRUE;
		n_files++;
		return &w->api;
	}
	return NULL;
}

struct wvolume {
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL api;
	EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *real;
};
static struct wvolume volumes[16];

static EFI_STATUS EFIAPI v_open_volume(EFI_SIMPLE_FILE_SYSTEM_PROTOCOL *this,
				       EFI_FILE_PROTOCOL **ret)
{
	struct wvolume *v = (struct wvolume *)this;
	EFI_FILE_PROTOCOL *r;

	if (fails(S_OPEN_VOLUME))
		return svcs[S_OPEN_VOLUME].fails_with;
	EFI_STATUS st = v->real->OpenVolume(v->real, &r);
	if (!EFI_ERROR(st)) {
		*ret = wrap_file(r);
		if (!*ret) {
			r->Close(r);
			return EFI_OUT_OF_RESOURCES;
		}
	}
	return st;
}

/* hotshim mirrors its console to the serial port when the console does
 * not already: that copy is dropped too (the console's is kept) */
static EFI_SERIAL_IO_PROTOCOL my_serial, *real_serial;

static EFI_STATUS EFIAPI s_write(EFI_SERIAL_IO_PROTOCOL *this, UINTN *size, void *buf)
{
	(void)this;
	(void)buf;
	(void)size; /* all of it, as far as hotshim knows */
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI s_reset(EFI_SERIAL_IO_PROTOCOL *this)
{
	(void)this;
	return real_serial->Reset(real_serial);
}

static EFI_STATUS EFIAPI s_set_attr(EFI_SERIAL_IO_PROTOCOL *this, UINT64 baud, UINT32 fifo,
				    UINT32 timeout, EFI_PARITY_TYPE parity, UINT8 bits,
				    EFI_STOP_BITS_TYPE stop)
{
	(void)this;
	return real_serial->SetAttributes(real_serial, baud, fifo, timeout, parity, bits, stop);
}

static EFI_STATUS EFIAPI s_set_control(EFI_SERIAL_IO_PROTOCOL *this, UINT32 c)
{
	(void)this;
	return real_serial->SetControl(real_serial, c);
}

static EFI_STATUS EFIAPI s_get_control(EFI_SERIAL_IO_PROTOCOL *this, UINT32 *c)
{
	(void)this;
	return real_serial->GetControl(real_serial, c);
}

static EFI_STATUS EFIAPI s_read(EFI_SERIAL_IO_PROTOCOL *this, UINTN *size, void *buf)
{
	(void)this;
	return real_serial->Read(real_serial, size, buf);
}

static void *wrap_protocol(EFI_GUID *g, void *iface)
{
	EFI_GUID sio = SERIAL_IO_PROTOCOL;

	if (iface && CompareGuid(g, &sio) == 0) {
		real_serial = iface;
		my_serial = *real_serial;
		my_serial.Reset = s_reset;
		my_serial.SetAttributes = s_set_attr;
		my_serial.SetControl = s_set_control;
		my_serial.GetControl = s_get_control;
		my_serial.Write = s_write;
		my_serial.Read = s_read;
		return &my_serial;
	}
	if (!iface || CompareGuid(g, &FileSystemProtocol))
		return iface;
	for (UINTN i = 0; i < sizeof(volumes) / sizeof(volumes[0]); i++) {
		struct wvolume *v = &volumes[i];
		if (v->real == iface)
			return &v->api;
		if (!v->real) {
			v->real = iface;
			v->api.Revision = v->real->Revision;
			v->api.OpenVolume = v_open_volume;
			return &v->api;
		}
	}
	return iface;
}

/* ---- the console: hotshim's output kept, not shown ---------------------- */

static SIMPLE_TEXT_OUTPUT_INTERFACE my_con, *real_con;
static CHAR16 said[2][256]; /* the last two complete lines */
static CHAR16 cur[256];
static UINTN cur_len, n_error_lines;

static BOOLEAN error_line(const CHAR16 *l)
{
	/* efi_fail's shape: "hotshim: ... (EFI_...)" */
	UINTN n = StrLen(l);
	if (n < 10 || StrnCmp(l, L"hotshim: ", 9) || l[n - 1] != L')')
		return FALSE;
	for (UINTN i = 9; i + 6 <= n; i++)
		if (!StrnCmp(l + i, L" (EFI_", 6))
			return TRUE;
	return FALSE;
}

static EFI_STATUS EFIAPI c_output(SIMPLE_TEXT_OUTPUT_INTERFACE *this, CHAR16 *s)
{
	(void)this;
	if (show)
		real_con->OutputString(real_con, s);
	for (; *s; s++) {
		if (*s == L'\r')
			continue;
		if (*s != L'\n') {
			if (cur_len + 1 < sizeof(cur) / sizeof(cur[0]))
				cur[cur_len++] = *s;
			continue;
		}
		cur[cur_len] = 0;
		if (cur_len) {
			CopyMem(said[0], said[1], sizeof(said[0]));
			CopyMem(said[1], cur, sizeof(said[1]));
			if (error_line(cur))
				n_error_lines++;
		}
		cur_len = 0;
	}
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI c_reset(SIMPLE_TEXT_OUTPUT_INTERFACE *this, BOOLEAN ext)
{
	(void)this;
	return real_con->Reset(real_con, ext);
}

static EFI_STATUS EFIAPI c_test(SIMPLE_TEXT_OUTPUT_INTERFACE *this, CHAR16 *s)
{
	(void)this;
	return real_con->TestString(real_con, s);
}

static EFI_STATUS EFIAPI c_query(SIMPLE_TEXT_OUTPUT_INTERFACE *this, UINTN m, UINTN *c, UINTN *r)
{
	(void)this;
	return real_con->QueryMode(real_con, m, c, r);
}

static EFI_STATUS EFIAPI c_set_mode(SIMPLE_TEXT_OUTPUT_INTERFACE *this, UINTN m)
{
	(void)this;
	(void)m;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI c_set_attr(SIMPLE_TEXT_OUTPUT_INTERFACE *this, UINTN a)
{
	(void)this;
	(void)a;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI c_clear(SIMPLE_TEXT_OUTPUT_INTERFACE *this)
{
	(void)this;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI c_cursor(SIMPLE_TEXT_OUTPUT_INTERFACE *this, UINTN c, UINTN r)
{
	(void)this;
	(void)c;
	(void)r;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI c_enable(SIMPLE_TEXT_OUTPUT_INTERFACE *this, BOOLEAN on)
{
	(void)this;
	(void)on;
	return EFI_SUCCESS;
}

/* ---- one run ------------------------------------------------------------ */

static UINT8 map_buf[64 * 1024];

/* Pages of loader code and data in the firmware's map: what hotshim
 * allocates is one of them, and its image too while loaded. */
static UINT64 loader_pages(void)
{
	UINTN size = sizeof(map_buf), key, dsize;
	UINT32 dver;
	UINT64 n = 0;

	if (EFI_ERROR(real_bs.GetMemoryMap(&size, (EFI_MEMORY_DESCRIPTOR *)map_buf, &key, &dsize,
					   &dver)))
		return ~0ull;
	for (UINTN o = 0; o + dsize <= size; o += dsize) {
		EFI_MEMORY_DESCRIPTOR *d = (EFI_MEMORY_DESCRIPTOR *)(map_buf + o);
		if (d->Type == EfiLoaderData || d->Type == EfiLoaderCode)
			n += d->NumberOfPages;
	}
	return n;
}

static EFI_HANDLE self;
static EFI_DEVICE_PATH *hotshim_path;
static CHAR16 options[1024];

static const CHAR16 *status_name(EFI_STATUS st, CHAR16 *buf, UINTN cap)
{
	static const struct {
		EFI_STATUS st;
		const CHAR16 *name;
	} names[] = {
		{ EFI_SUCCESS, L"EFI_SUCCESS" },
		{ EFI_LOAD_ERROR, L"EFI_LOAD_ERROR" },
		{ EFI_INVALID_PARAMETER, L"EFI_INVALID_PARAMETER" },
		{ EFI_UNSUPPORTED, L"EFI_UNSUPPORTED" },
		{ EFI_BUFFER_TOO_SMALL, L"EFI_BUFFER_TOO_SMALL" },
		{ EFI_DEVICE_ERROR, L"EFI_DEVICE_ERROR" },
		{ EFI_OUT_OF_RESOURCES, L"EFI_OUT_OF_RESOURCES" },
		{ EFI_NOT_FOUND, L"EFI_NOT_FOUND" },
		{ EFI_ACCESS_DENIED, L"EFI_ACCESS_DENIED" },
		{ EFI_ABORTED, L"EFI_ABORTED" },
		{ EFI_SECURITY_VIOLATION, L"EFI_SECURITY_VIOLATION" },
		{ EFI_BAD_BUFFER_SIZE, L"EFI_BAD_BUFFER_SIZE" },
		{ EFI_VOLUME_CORRUPTED, L"EFI_VOLUME_CORRUPTED" },
		{ EFI_NOT_READY, L"EFI_NOT_READY" },
		{ EFI_TIMEOUT, L"EFI_TIMEOUT" },
	};
	for (UINTN i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].st == st)
			return names[i].name;
	SPrint(buf, cap, L"0x%lx", st);
	return buf;
}

/* One start of hotshim; returns FALSE for a bad outcome. */
static BOOLEAN one_run(enum svc s, UINTN n, UINTN times, BOOLEAN stop, BOOLEAN quiet,
		       UINTN *bad)
{
	EFI_LOADED_IMAGE *li;
	EFI_STATUS st;
	CHAR16 nb[24], nb2[24];

	ZeroMem(&run, sizeof(run));
	run.svc = s;
	run.n = n;
	run.times = times;
	run.stop_at_exit = stop;
	n_pages = n_pools = n_files = cur_len = n_error_lines = 0;
	said[0][0] = said[1][0] = 0;
	UINT64 before = loader_pages();
	st = real_bs.LoadImage(FALSE, self, hotshim_path, NULL, 0, &child);
	if (EFI_ERROR(st)) {
		Print(L"faults: cannot load \\hotshim.efi: %r\n", st);
		(*bad)++;
		return FALSE;
	}
	if (EFI_ERROR(real_bs.HandleProtocol(child, &LoadedImageProtocol, (void **)&li))) {
		Print(L"faults: \\hotshim.efi has no LoadedImage protocol\n");
		real_bs.UnloadImage(child);
		(*bad)++;
		return FALSE;
	}
	li->SystemTable = &my_st;
	li->LoadOptions = options;
	li->LoadOptionsSize = (UINT32)((StrLen(options) + 1) * sizeof(CHAR16));
	st = real_bs.StartImage(child, NULL, NULL);
	real_bs.UnloadImage(child); /* an application is unloaded already */
	if (run.reached_exit) {
		/* killed at the point of no return: what it held is freed here */
		while (n_pages)
			w_free_pages(held_pages[n_pages - 1].addr, held_pages[n_pages - 1].pages);
		while (n_pools)
			w_free_pool(held_pools[n_pools - 1]);
		for (UINTN i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			if (files[i].used)
				f_close(&files[i].api);
	}
	UINT64 after = loader_pages();
	INT64 diff = (INT64)(after - before);
	if (s == S_COUNT)
		return TRUE;
	const CHAR16 *why = NULL;
	CHAR16 want[40];
	SPrint(want, sizeof(want), L"(%s)", status_name(st, nb, sizeof(nb)));
	UINTN wl = StrLen(want), ll = StrLen(said[1]);
	if (run.reached_exit)
		why = NULL; /* taken in its stride: it went on to boot */
	else if (n_pages || n_pools || n_files || diff)
		why = L"left something behind";
	else if (!EFI_ERROR(st))
		why = NULL; /* taken in its stride */
	else if (options[0] ? n_error_lines != 1 : n_error_lines < 1)
		why = options[0] ? L"not exactly one error line" : L"no error line";
	else if (ll < wl || StrCmp(said[1] + ll - wl, want) || !error_line(said[1]))
		why = L"the last line does not name the status returned";
	if (why)
		(*bad)++;
	if (!quiet || why)
		Print(L"faults: %s #%lu %s: %s%s, said \"%s\"; left %lu pages, %lu pools, %lu files, "
		      L"map %ld pages: %s%s%s\n",
		      svcs[s].name, n, status_name(svcs[s].fails_with, nb2, sizeof(nb2)),
		      run.reached_exit ? L"reached ExitBootServices" : L"returned ",
		      run.reached_exit ? L"" : status_name(st, nb, sizeof(nb)), said[1], n_pages,
		      n_pools, n_files, diff, why ? L"BAD (" : L"ok", why ? why : L"",
		      why ? L")" : L"");
	return why == NULL;
}

/* ---- setup ---------------------------------------------------------------- */

static void wrap_tables(void)
{
	real_bs = *BS;
	my_bs = real_bs;
	my_bs.AllocatePages = w_allocate_pages;
	my_bs.FreePages = w_free_pages;
	my_bs.AllocatePool = w_allocate_pool;
	my_bs.FreePool = w_free_pool;
	my_bs.GetMemoryMap = w_get_memory_map;
	my_bs.HandleProtocol = w_handle_protocol;
	my_bs.OpenProtocol = w_open_protocol;
	my_bs.LocateProtocol = w_locate_protocol;
	my_bs.LoadImage = w_load_image;
	my_bs.ExitBootServices = w_exit_boot_services;
	my_bs.SetTimer = w_set_timer;
	real_rt = *RT;
	my_rt = real_rt;
	my_rt.GetVariable = w_get_variable;
	my_rt.SetVariable = w_set_variable;
	real_con = ST->ConOut;
	my_con = *real_con;
	my_con.Reset = c_reset;
	my_con.OutputString = c_output;
	my_con.TestString = c_test;
	my_con.QueryMode = c_query;
	my_con.SetMode = c_set_mode;
	my_con.SetAttribute = c_set_attr;
	my_con.ClearScreen = c_clear;
	my_con.SetCursorPosition = c_cursor;
	my_con.EnableCursor = c_enable;
	my_st = *ST;
	my_st.BootServices = &my_bs;
	my_st.RuntimeServices = &my_rt;
	my_st.ConOut = &my_con;
	my_st.StdErr = &my_con;
	my_bs.Hdr.CRC32 = 0;
	real_bs.CalculateCrc32(&my_bs, my_bs.Hdr.HeaderSize, &my_bs.Hdr.CRC32);
	my_rt.Hdr.CRC32 = 0;
	real_bs.CalculateCrc32(&my_rt, my_rt.Hdr.HeaderSize, &my_rt.Hdr.CRC32);
	my_st.Hdr.CRC32 = 0;
	real_bs.CalculateCrc32(&my_st, my_st.Hdr.HeaderSize, &my_st.Hdr.CRC32);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_SHELL_PARAMETERS_PROTOCOL *sp = NULL;
	EFI_LOADED_IMAGE *li = NULL;
	UINTN bad = 0, runs = 0, first = 2, stale = 0, one = S_COUNT, one_n = 0;

	InitializeLib(image, systab);
	self = image;
	if (EFI_ERROR(BS->HandleProtocol(image, &ShellParametersProtocolGuid, (void **)&sp)) ||
	    !sp || sp->Argc < 2 ||
	    (StrCmp(sp->Argv[1], L"sweep") && (StrCmp(sp->Argv[1], L"stale") || sp->Argc < 3) &&
	     (StrCmp(sp->Argv[1], L"one") || sp->Argc < 4))) {
		Print(L"usage: test-faults.efi sweep ARGS... | stale K ARGS... | one SERVICE N ARGS...\n");
		return EFI_INVALID_PARAMETER;
	}
	if (!StrCmp(sp->Argv[1], L"stale")) {
		stale = Atoi(sp->Argv[2]);
		first = 3;
	}
	if (!StrCmp(sp->Argv[1], L"one")) {
		while (one > 0 && StrCmp(svcs[one - 1].name, sp->Argv[2]))
			one--;
		if (!one--) {
			Print(L"faults: no service %s\n", sp->Argv[2]);
			return EFI_INVALID_PARAMETER;
		}
		one_n = Atoi(sp->Argv[3]);
		first = 4;
	}
	options[0] = 0;
	for (UINTN i = first; i < sp->Argc; i++) {
		if (StrLen(options) + StrLen(sp->Argv[i]) + 2 >= sizeof(options) / sizeof(options[0]))
			break;
		if (options[0])
			StrCat(options, L" ");
		StrCat(options, sp->Argv[i]);
	}
	BS->HandleProtocol(image, &LoadedImageProtocol, (void **)&li);
	hotshim_path = FileDevicePath(li->DeviceHandle, L"\\hotshim.efi");
	wrap_tables();

	if (one < S_COUNT) {
		show = TRUE;
		one_run((enum svc)one, one_n, 1, TRUE, FALSE, &bad);
		return bad ? EFI_ABORTED : EFI_SUCCESS;
	}
	if (stale) {
		/* the real thing: ExitBootServices refused K times, then boot */
		Print(L"faults: ExitBootServices refused %lu time(s), then hotshim boots\n", stale);
		one_run(S_EXIT_BOOT_SERVICES, 1, stale, FALSE, FALSE, &bad);
		return EFI_ABORTED; /* only when hotshim came back */
	}
	/* count each service's calls up to the point of no return */
	UINTN counts[S_COUNT];
	one_run(S_COUNT, 0, 0, TRUE, TRUE, &bad);
	CopyMem(counts, run.calls, sizeof(counts));
	Print(L"faults: hotshim %s: %s\n", options,
	      run.reached_exit ? L"reached ExitBootServices" : L"returned");
	for (UINTN s = 0; s < S_COUNT; s++) {
		if (s == S_EXIT_BOOT_SERVICES)
			continue; /* test-faults.efi stale */
		UINTN b0 = bad;
		for (UINTN n = 1; n <= counts[s]; n++) {
			one_run((enum svc)s, n, 1, TRUE, FALSE, &bad);
			runs++;
		}
		Print(L"faults: %s: %lu calls, %lu bad\n", svcs[s].name, counts[s], bad - b0);
	}
	Print(L"faults: %lu runs, %lu bad\n", runs, bad);
	return bad ? EFI_ABORTED : EFI_SUCCESS;
}
