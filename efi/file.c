/* Files on hotshim's own volume, read into pages freed on every path. */
#include "efi.h"

static void to_wide(const char *s, CHAR16 *w, size_t cap)
{
	size_t i = 0;

	for (; s[i] && i + 1 < cap; i++)
		w[i] = s[i] == '/' ? L'\\' : (CHAR16)(unsigned char)s[i];
	w[i] = 0;
}

/* A file's EFI_FILE_INFO in pool, with the status of what failed
 * (gnu-efi's LibFileInfo says only NULL). */
static EFI_STATUS file_info(EFI_FILE_HANDLE f, EFI_FILE_INFO **ret, const char **what)
{
	UINTN size = 0;
	EFI_STATUS st = uefi_call_wrapper(f->GetInfo, 4, f, &GenericFileInfo, &size, NULL);

	*ret = NULL;
	*what = "cannot get its size";
	if (st != EFI_BUFFER_TOO_SMALL)
		return EFI_ERROR(st) ? st : EFI_DEVICE_ERROR;
	st = uefi_call_wrapper(BS->AllocatePool, 3, EfiLoaderData, size, (void **)ret);
	if (EFI_ERROR(st)) {
		*ret = NULL;
		*what = "no pool for its file information";
		return st;
	}
	st = uefi_call_wrapper(f->GetInfo, 4, f, &GenericFileInfo, &size, *ret);
	if (EFI_ERROR(st)) {
		FreePool(*ret);
		*ret = NULL;
	}
	return st;
}

static EFI_STATUS alloc_for(const char *path, UINT64 size, struct efi_file *ret,
			    struct hs_err *err)
{
	EFI_STATUS st;

	if (size > (1ull << 40)) {
		hs_err_set(err, "%s: %llu bytes is beyond any initrd", path, (unsigned long long)size);
		return EFI_BAD_BUFFER_SIZE;
	}
	ret->size = size;
	ret->pages = EFI_SIZE_TO_PAGES(size ? size : 1);
	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, EfiLoaderData, ret->pages,
			       &ret->addr);
	if (EFI_ERROR(st)) {
		hs_err_set(err, "%s: no %lu free pages for its %lu bytes", path,
			   (unsigned long)ret->pages, (unsigned long)ret->size);
		ret->pages = 0;
	}
	return st;
}

/* After a read of the whole file into ret: n bytes came, with status st.
 * A short read is a device error; on failure the pages are given back. */
static EFI_STATUS read_done(const char *path, EFI_STATUS st, UINTN n, struct efi_file *ret,
			    struct hs_err *err)
{
	if (!EFI_ERROR(st) && n == ret->size)
		return st;
	if (EFI_ERROR(st))
		hs_err_set(err, "%s: cannot read its %lu bytes", path, (unsigned long)ret->size);
	else
		hs_err_set(err, "%s: read %lu of %lu bytes", path, (unsigned long)n,
			   (unsigned long)ret->size);
	efi_file_free(ret);
	return EFI_ERROR(st) ? st : EFI_DEVICE_ERROR;
}

/*
 * Where a path's file is (README, "Paths"):
 *
 *   \dir\file  /dir/file   hotshim's own volume (its LoadedImage device),
 *                          from the shell, a boot entry or hotshim.conf
 *                          alike: the Linux EFI stub's initrd= rule
 *                          (drivers/firmware/efi/libstub/file.c)
 *   fs1:\file  name:file   a shell mapping: through the shell
 *   dir\file               relative: the shell's current directory; with
 *                          no shell, or a shell with none, hotshim's volume
 */
static bool is_mapping(const char *path)
{
	for (const char *p = path; *p && *p != '\\' && *p != '/'; p++)
		if (*p == ':')
			return true;
	return false;
}

static EFI_SHELL_PROTOCOL *shell(void)
{
	EFI_SHELL_PROTOCOL *sh = NULL;

	if (EFI_ERROR(uefi_call_wrapper(BS->LocateProtocol, 3, &ShellProtocolGuid, NULL,
					(void **)&sh)))
		return NULL;
	return sh;
}

/* The volume's name for messages: the shell's first mapping for it
 * ("FS0:"), else its device path. */
static void volume_name(EFI_SHELL_PROTOCOL *sh, EFI_HANDLE dev, char *buf, size_t cap)
{
	EFI_DEVICE_PATH *dp = DevicePathFromHandle(dev);
	const CHAR16 *map = NULL;
	CHAR16 *text;

	hs_snprintf(buf, cap, "(unnamed)");
	if (!dp)
		return;
	if (sh) {
		EFI_DEVICE_PATH *walk = dp;
		map = uefi_call_wrapper(sh->GetMapFromDevicePath, 1, &walk);
	}
	if (map) {
		size_t n;
		efi_narrow(map, EFI_TO_NUL, buf, cap);
		for (n = 0; buf[n] && buf[n] != ';'; n++)
			;
		buf[n] = '\0';
		return;
	}
	text = efi_path_text(dp);
	if (text) {
		efi_narrow(text, EFI_TO_NUL, buf, cap);
		FreePool(text);
	}
}

static EFI_STATUS read_via_shell(EFI_SHELL_PROTOCOL *sh, const char *path, struct efi_file *ret,
				 struct hs_err *err)
{
	CHAR16 wpath[512];
	SHELL_FILE_HANDLE h = NULL;
	UINT64 size = 0;
	EFI_STATUS st;

	to_wide(path, wpath, HS_ARRAY_SIZE(wpath));
	st = uefi_call_wrapper(sh->OpenFileByName, 3, wpath, &h, EFI_FILE_MODE_READ);
	if (EFI_ERROR(st)) {
		char cwd[128] = "";
		size_t n = 0;
		if (!is_mapping(path))
			efi_narrow(uefi_call_wrapper(sh->GetCurDir, 1, NULL), EFI_TO_NUL, cwd,
				   sizeof(cwd));
		else
			while (path[n] != ':')
				n++;
		/* fs9:\x: is there such a volume at all? */
		CHAR16 map[64];
		if (n && n + 2 < HS_ARRAY_SIZE(map)) {
			to_wide(path, map, n + 2);
			if (!uefi_call_wrapper(sh->GetDevicePathFromMap, 1, map)) {
				hs_err_set(err, "%s: the shell has no volume named %.*s", path,
					   (int)n + 1, path);
				return EFI_NOT_FOUND;
			}
		}
		hs_err_set(err, "%s: %s%s%s", path,
			   st == EFI_NOT_FOUND ? "no such file" : "cannot open",
			   cwd[0] ? " in the shell's current directory " : "", cwd);
		return st;
	}
	st = uefi_call_wrapper(sh->GetFileSize, 2, h, &size);
	if (EFI_ERROR(st))
		hs_err_set(err, "%s: cannot get its size (a directory?)", path);
	else
		st = alloc_for(path, size, ret, err);
	if (!EFI_ERROR(st)) {
		UINTN n = ret->size;
		st = uefi_call_wrapper(sh->ReadFile, 3, h, &n, (void *)(UINTN)ret->addr);
		st = read_done(path, st, n, ret, err);
	}
	uefi_call_wrapper(sh->CloseFile, 1, h);
	return st;
}

EFI_STATUS efi_read_path(EFI_HANDLE image, const char *path, struct efi_file *ret,
			 struct hs_err *err)
{
	EFI_SHELL_PROTOCOL *sh = shell();

	ZeroMem(ret, sizeof(*ret));
	if (path[0] == '\\' || path[0] == '/')
		return efi_read_file(image, path, ret, err);
	if (is_mapping(path)) {
		if (sh)
			return read_via_shell(sh, path, ret, err);
		hs_err_set(err, "%s: a shell mapping, and hotshim runs without the UEFI shell; "
				"write \\path for hotshim's own volume", path);
		return EFI_INVALID_PARAMETER;
	}
	if (sh && uefi_call_wrapper(sh->GetCurDir, 1, NULL))
		return read_via_shell(sh, path, ret, err);
	return efi_read_file(image, path, ret, err);
}

static EFI_STATUS open_root(EFI_HANDLE image, EFI_FILE_HANDLE *ret)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_FILE_IO_INTERFACE *fs = NULL;
	EFI_STATUS st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
					  (void **)&li);

	if (!EFI_ERROR(st))
		st = uefi_call_wrapper(BS->HandleProtocol, 3, li->DeviceHandle, &FileSystemProtocol,
				       (void **)&fs);
	return EFI_ERROR(st) ? st : uefi_call_wrapper(fs->OpenVolume, 2, fs, ret);
}

EFI_STATUS efi_read_file(EFI_HANDLE image, const char *path, struct efi_file *ret,
			 struct hs_err *err)
{
	EFI_LOADED_IMAGE *li = NULL;
	EFI_FILE_HANDLE root = NULL, f = NULL;
	EFI_FILE_INFO *info = NULL;
	CHAR16 wpath[512];
	char vol[160];
	EFI_STATUS st;

	ZeroMem(ret, sizeof(*ret));
	to_wide(path, wpath, HS_ARRAY_SIZE(wpath));
	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li);
	if (!EFI_ERROR(st))
		st = open_root(image, &root);
	if (EFI_ERROR(st)) {
		hs_err_set(err, "%s: hotshim's volume cannot be read", path);
		return st;
	}
	/* relative to the root, with or without the leading backslash */
	st = uefi_call_wrapper(root->Open, 5, root, &f, wpath, EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st)) {
		volume_name(shell(), li->DeviceHandle, vol, sizeof(vol));
		hs_err_set(err, "%s: %s on hotshim's volume %s", path,
			   st == EFI_NOT_FOUND ? "no such file" : "cannot open", vol);
		goto out;
	}
	const char *what;
	st = file_info(f, &info, &what);
	if (EFI_ERROR(st)) {
		hs_err_set(err, "%s: %s", path, what);
		goto out;
	}
	if (info->Attribute & EFI_FILE_DIRECTORY) {
		hs_err_set(err, "%s: is a directory", path);
		st = EFI_INVALID_PARAMETER;
		goto out;
	}
	st = alloc_for(path, info->FileSize, ret, err);
	if (EFI_ERROR(st))
		goto out;
	UINTN n = ret->size;
	st = uefi_call_wrapper(f->Read, 3, f, &n, (void *)(UINTN)ret->addr);
	st = read_done(path, st, n, ret, err);
out:
	if (info)
		FreePool(info);
	if (f)
		uefi_call_wrapper(f->Close, 1, f);
	if (root)
		uefi_call_wrapper(root->Close, 1, root);
	return st;
}

EFI_STATUS efi_read_paths(EFI_HANDLE image, const char *const *paths, unsigned n,
			  struct efi_file *ret, const char **ret_bad, struct hs_err *err)
{
	struct efi_file part[CLI_MAX_INITRDS];
	UINT64 total = 0;
	EFI_STATUS st = EFI_SUCCESS;
	unsigned got = 0;

	ZeroMem(ret, sizeof(*ret));
	if (n == 1)
		return (*ret_bad = paths[0], efi_read_path(image, paths[0], ret, err));
	for (; got < n && got < CLI_MAX_INITRDS; got++) {
		*ret_bad = paths[got];
		st = efi_read_path(image, paths[got], &part[got], err);
		if (EFI_ERROR(st))
			break;
		total += part[got].size; /* each below 1 TiB: no overflow */
	}
	if (!EFI_ERROR(st))
		st = alloc_for(paths[0], total, ret, err);
	UINT64 off = 0;
	for (unsigned i = 0; i < got; i++) {
		if (!EFI_ERROR(st))
			CopyMem((UINT8 *)(UINTN)ret->addr + off, (void *)(UINTN)part[i].addr,
				part[i].size);
		off += part[i].size;
		efi_file_free(&part[i]);
	}
	return st;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = hs_strlen(s), m = hs_strlen(suffix);

	if (n < m)
		return false;
	for (size_t i = 0; i < m; i++) {
		char a = s[n - m + i], b = suffix[i];
		if ((a >= 'A' && a <= 'Z' ? a - 'A' + 'a' : a) != b)
			return false;
	}
	return true;
}

EFI_STATUS efi_list_dir(EFI_HANDLE image, const char *dir, const char *suffix,
			char (*names)[EFI_MAX_NAME], size_t cap, size_t *ret_n, size_t *ret_total,
			size_t *ret_long)
{
	EFI_FILE_HANDLE root = NULL, d = NULL;
	CHAR16 wdir[CLI_MAX_PATH];
	UINTN bufsize = SIZE_OF_EFI_FILE_INFO + 512 * sizeof(CHAR16);
	EFI_FILE_INFO *info = AllocatePool(bufsize);
	EFI_STATUS st = info ? open_root(image, &root) : EFI_OUT_OF_RESOURCES;

	*ret_n = *ret_total = *ret_long = 0;
	to_wide(dir, wdir, HS_ARRAY_SIZE(wdir));
	if (!EFI_ERROR(st))
		st = uefi_call_wrapper(root->Open, 5, root, &d, wdir, EFI_FILE_MODE_READ, 0);
	while (!EFI_ERROR(st)) {
		UINTN size = bufsize;
		st = uefi_call_wrapper(d->Read, 3, d, &size, info);
		if (EFI_ERROR(st) || size == 0)
			break;
		char name[EFI_MAX_NAME];
		efi_narrow(info->FileName, EFI_TO_NUL, name, sizeof(name));
		/* as systemd-boot: not hidden files (macOS leaves ._x.conf) */
		if ((info->Attribute & EFI_FILE_DIRECTORY) || !ends_with(name, suffix) ||
		    name[0] == '.' || !hs_memcmp(name, "auto-", 5))
			continue;
		(*ret_total)++;
		if (StrLen(info->FileName) >= EFI_MAX_NAME)
			(*ret_long)++;
		else if (*ret_n < cap)
			hs_snprintf(names[(*ret_n)++], EFI_MAX_NAME, "%s", name);
	}
	if (d)
		uefi_call_wrapper(d->Close, 1, d);
	if (root)
		uefi_call_wrapper(root->Close, 1, root);
	if (info)
		FreePool(info);
	return st;
}

EFI_STATUS efi_rename(EFI_HANDLE image, const char *dir, const char *from, const char *to,
		      struct hs_err *err)
{
	EFI_FILE_HANDLE root = NULL, f = NULL;
	EFI_FILE_INFO *info = NULL, *next = NULL;
	CHAR16 path[CLI_MAX_PATH + EFI_MAX_NAME];
	char p[CLI_MAX_PATH + EFI_MAX_NAME];
	EFI_STATUS st = open_root(image, &root);

	hs_snprintf(p, sizeof(p), "%s\\%s", dir, from);
	to_wide(p, path, HS_ARRAY_SIZE(path));
	if (!EFI_ERROR(st))
		st = uefi_call_wrapper(root->Open, 5, root, &f, path,
				       EFI_FILE_MODE_READ | EFI_FILE_MODE_WRITE, 0);
	const char *what = "";
	if (!EFI_ERROR(st))
		st = file_info(f, &info, &what);
	size_t n = hs_strlen(to);
	if (!EFI_ERROR(st) && !(next = AllocateZeroPool(SIZE_OF_EFI_FILE_INFO + (n + 1) * 2)))
		st = EFI_OUT_OF_RESOURCES;
	if (!EFI_ERROR(st)) {
		CopyMem(next, info, SIZE_OF_EFI_FILE_INFO);
		next->Size = SIZE_OF_EFI_FILE_INFO + (n + 1) * 2;
		to_wide(to, next->FileName, n + 1);
		st = uefi_call_wrapper(f->SetInfo, 4, f, &GenericFileInfo, next->Size, next);
		if (!EFI_ERROR(st)) /* renamed: a Flush that fails changes nothing */
			uefi_call_wrapper(f->Flush, 1, f);
	}
	if (EFI_ERROR(st))
		hs_err_set(err, "%s: cannot rename it %s", p, to);
	if (next)
		FreePool(next);
	if (info)
		FreePool(info);
	if (f)
		uefi_call_wrapper(f->Close, 1, f);
	if (root)
		uefi_call_wrapper(root->Close, 1, root);
	return st;
}

bool efi_file_exists(EFI_HANDLE image, const char *path)
{
	EFI_FILE_HANDLE root = NULL, f = NULL;
	CHAR16 w[CLI_MAX_PATH];

	to_wide(path, w, HS_ARRAY_SIZE(w));
	if (EFI_ERROR(open_root(image, &root)))
		return false;
	EFI_STATUS st = uefi_call_wrapper(root->Open, 5, root, &f, w, EFI_FILE_MODE_READ, 0);
	if (!EFI_ERROR(st))
		uefi_call_wrapper(f->Close, 1, f);
	uefi_call_wrapper(root->Close, 1, root);
	return !EFI_ERROR(st);
}

void efi_file_free(struct efi_file *f)
{
	if (f->pages)
		uefi_call_wrapper(BS->FreePages, 2, f->addr, f->pages);
	ZeroMem(f, sizeof(*f));
}

/* SecureBoot = 1 and SetupMode = 0: the firmware enforces signatures, and
 * a Debian kernel started this way locks itself down. */
BOOLEAN efi_secure_boot(void)
{
	EFI_GUID g = EFI_GLOBAL_VARIABLE;
	UINT8 sb = 0, setup = 1;
	UINTN n = 1;

	if (EFI_ERROR(efi_var_get("SecureBoot", &g, &n, &sb)) || n != 1)
		return FALSE;
	n = 1;
	if (EFI_ERROR(efi_var_get("SetupMode", &g, &n, &setup)) || n != 1)
		return FALSE;
	return sb == 1 && setup == 0;
}
