/* The ESP found and checked (see esp.h). */
#include "esp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#define MSDOS_SUPER_MAGIC 0x4d44 /* linux/magic.h: every FAT, vfat included */

static int read_num(const char *dir, const char *name, unsigned long long *ret)
{
	char p[PATH_MAX + 32], buf[64];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "r");
	if (!f)
		return -errno;
	int ok = fgets(buf, sizeof(buf), f) != NULL;
	fclose(f);
	if (!ok)
		return -EINVAL;
	char *end;
	errno = 0;
	*ret = strtoull(buf, &end, 10);
	return end != buf && !errno ? 0 : -EINVAL;
}

static int pread_disk(void *ctx, uint64_t off, void *buf, size_t len)
{
	int fd = *(int *)ctx;
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* The partition under the file system on dev, from sysfs and the table. */
static int esp_partition(dev_t dev, const char *path, struct esp *e, struct hs_err *err)
{
	char sys[64], part[PATH_MAX], disk[PATH_MAX];
	unsigned long long number, start, lbs, size;

	snprintf(sys, sizeof(sys), "/sys/dev/block/%u:%u", major(dev), minor(dev));
	if (!realpath(sys, part)) {
		hs_err_set(err, "%s: device %u:%u has no block device in /sys/dev/block", path,
			   major(dev), minor(dev));
		return -ENODEV;
	}
	const char *name = strrchr(part, '/') + 1;
	if (read_num(part, "partition", &number) < 0) {
		hs_err_set(err, "%s is on /dev/%s, a whole device, not a partition: not an ESP",
			   path, name);
		return -ENODEV;
	}
	snprintf(disk, sizeof(disk), "%s", part);
	*strrchr(disk, '/') = '\0';
	const char *dname = strrchr(disk, '/') + 1;
	if (read_num(part, "start", &start) < 0 || read_num(disk, "size", &size) < 0 ||
	    read_num(disk, "queue/logical_block_size", &lbs) < 0) {
		hs_err_set(err, "%s: /dev/%s's start, size or block size is not in sysfs", path, name);
		return -ENODEV;
	}
	snprintf(e->disk, sizeof(e->disk), "/dev/%s", dname);
	int fd = open(e->disk, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int x = errno;
		hs_err_set(err, "%s: %s", e->disk, strerror(x));
		e->disk[0] = '\0';
		return -x;
	}
	struct disk_reader d = { pread_disk, &fd, (uint32_t)lbs, size * 512 };
	struct hs_err why = { "" };
	int r = part_read(&d, (unsigned)number, &e->pi, &why);
	close(fd);
	if (r < 0) {
		hs_err_set(err, "%s: partition %llu of %s: %s", path, number, e->disk, why.msg);
		e->disk[0] = '\0';
		return r == -HS_ENOENT ? -ENOENT : r == -HS_EBADMSG ? -EBADMSG : r;
	}
	if (e->pi.first_lba * lbs != start * 512) {
		hs_err_set(err, "%s: partition %llu of %s starts at sector %llu, its table says LBA %llu",
			   path, number, e->disk, start, (unsigned long long)e->pi.first_lba);
		e->disk[0] = '\0';
		return -EBADMSG;
	}
	return 0;
}

int esp_check(const char *path, unsigned flags, struct esp *ret, struct hs_err *err)
{
	bool relax = flags & ESP_RELAX;
	struct esp e;
	struct stat st, up;
	struct statfs fs;
	char parent[PATH_MAX + 4];

	memset(&e, 0, sizeof(e));
	if (strlen(path) >= sizeof(e.path)) {
		hs_err_set(err, "%.60s...: path too long", path);
		return -ENAMETOOLONG;
	}
	snprintf(e.path, sizeof(e.path), "%s", path);
	if (stat(path, &st) < 0) {
		int x = errno;
		hs_err_set(err, "%s: %s", path, strerror(x));
		return -x;
	}
	if (!S_ISDIR(st.st_mode)) {
		hs_err_set(err, "%s is not a directory", path);
		return -ENOTDIR;
	}
	if (!relax) {
		if (statfs(path, &fs) < 0) {
			int x = errno;
			hs_err_set(err, "%s: %s", path, strerror(x));
			return -x;
		}
		if (fs.f_type != MSDOS_SUPER_MAGIC) {
			hs_err_set(err, "%s is not a FAT file system, so it is not an ESP", path);
			return -ENODEV;
		}
		snprintf(parent, sizeof(parent), "%s/..", path);
		if (stat(parent, &up) < 0 || (up.st_dev == st.st_dev && up.st_ino != st.st_ino)) {
			hs_err_set(err, "%s is not the root of its file system (not a mount point)", path);
			return -ENODEV;
		}
	}
	int r = esp_partition(st.st_dev, path, &e, err);
	if (r == -EACCES && (flags & ESP_DISK_OPT))
		r = 1; /* checked as far as this user can: FAT, a mount point */
	else if (r < 0 && !relax)
		return r;
	if (r == 0 && !relax) {
		bool ok = e.pi.gpt ? !memcmp(e.pi.type, gpt_type_esp, 16) : e.pi.mbr_type == MBR_TYPE_ESP;
		if (!ok) {
			char g[40];
			if (e.pi.gpt)
				gpt_guid_str(e.pi.type, g);
			else
				snprintf(g, sizeof(g), "MBR 0x%02x", e.pi.mbr_type);
			hs_err_set(err, "%s: partition %u of %s has type %s, not the ESP's "
				   "(c12a7328-f81f-11d2-ba4b-00a0c93ec93b or MBR 0xef)",
				   path, e.pi.number, e.disk, g);
			return -ENODEV;
		}
	}
	*ret = e;
	return 0;
}

int esp_find(const char *given, const char *root, unsigned flags, struct esp *ret,
	     struct hs_err *err)
{
	static const char *const places[] = { "/efi", "/boot", "/boot/efi" };
	char p[PATH_MAX];

	if (given)
		return esp_check(given, flags, ret, err);
	for (size_t i = 0; i < HS_ARRAY_SIZE(places); i++) {
		struct statfs fs;
		struct hs_err e2 = { "" };
		snprintf(p, sizeof(p), "%s%s", root, places[i]);
		/* a place that is not FAT is not a candidate, as bootctl skips it */
		if (statfs(p, &fs) < 0 || (!(flags & ESP_RELAX) && fs.f_type != MSDOS_SUPER_MAGIC))
			continue;
		int r = esp_check(p, flags, ret, &e2);
		if (r == 0)
			return 0;
		*err = e2;
		return r;
	}
	hs_err_set(err, "no ESP mounted at %s/efi, %s/boot or %s/boot/efi: mount it, or name it "
		   "with --esp", root, root, root);
	return -ENOENT;
}
