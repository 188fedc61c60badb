/* Host files, programs and EFI variables (see sys.h). */
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define EFIVARFS "/sys/firmware/efi/efivars"

int sys_read(const char *path, uint64_t max, uint8_t **ret, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		if (len + 1 >= cap) {
			if (cap > max) {
				free(buf);
				close(fd);
				return -EFBIG;
			}
			size_t nc = cap ? cap * 2 : 65536;
			uint8_t *nb = realloc(buf, nc);
			if (!nb) {
				free(buf);
				close(fd);
				return -ENOMEM;
			}
			buf = nb;
			cap = nc;
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			free(buf);
			close(fd);
			return -e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (len > max) {
		free(buf);
		return -EFBIG;
	}
	buf[len] = 0;
	*ret = buf;
	*ret_len = len;
	return 0;
}

int sys_compile_asl(const char *src, uint8_t **ret, size_t *ret_len, struct hs_err *err)
{
	char dir[] = "/tmp/hotshim-iasl-XXXXXX", prefix[64], aml[80], log[80];

	if (!mkdtemp(dir)) {
		hs_err_set(err, "cannot make a temporary directory: %s", strerror(errno));
		return -EIO;
	}
	snprintf(prefix, sizeof(prefix), "%s/out", dir);
	snprintf(aml, sizeof(aml), "%s/out.aml", dir);
	snprintf(log, sizeof(log), "%s/iasl.log", dir);
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execlp("iasl", "iasl", "-p", prefix, src, (char *)NULL);
		_exit(127);
	}
	int st = 0, r = -EIO;
	if (pid > 0)
		waitpid(pid, &st, 0);
	if (pid < 0) {
		hs_err_set(err, "cannot run iasl: %s", strerror(errno));
	} else if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
		hs_err_set(err, "%s: cannot run iasl (Debian package acpica-tools)", src);
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || sys_read(aml, 1u << 26, ret, ret_len)) {
		/* the first error line iasl printed */
		char lb[300] = "";
		FILE *l = fopen(log, "r");
		while (l && fgets(lb, sizeof(lb), l))
			if (strstr(lb, "Error"))
				break;
		if (l)
			fclose(l);
		lb[strcspn(lb, "\n")] = '\0';
		hs_err_set(err, "%s: iasl could not compile it%s%.150s", src, lb[0] ? ": " : "", lb);
	} else {
		r = 0;
	}
	unlink(aml);
	unlink(log);
	rmdir(dir);
	return r;
}

int sys_same_bytes(const char *path, const void *data, size_t len)
{
	uint8_t *b;
	size_t n;
	int r = sys_read(path, len, &b, &n);

	if (r == -ENOENT || r == -EFBIG)
		return 0;
	if (r < 0)
		return r;
	r = n == len && !memcmp(b, data, len);
	free(b);
	return r;
}

int sys_same_file(const char *path, const char *src)
{
	struct stat a, b;
	if (stat(src, &b) < 0)
		return -errno;
	if (stat(path, &a) < 0)
		return errno == ENOENT ? 0 : -errno;
	if (a.st_size != b.st_size)
		return 0;
	uint8_t *d;
	size_t n;
	int r = sys_read(src, (uint64_t)b.st_size, &d, &n);
	if (r < 0)
		return r;
	r = sys_same_bytes(path, d, n);
	free(d);
	return r;
}

static int fsync_dir(const char *path)
{
	char d[4096];
	snprintf(d, sizeof(d), "%s", path);
	char *s = strrchr(d, '/');
	if (!s)
		snprintf(d, sizeof(d), ".");
	else if (s == d)
		d[1] = '\0';
	else
		*s = '\0';
	int fd = open(d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int r = fsync(fd) < 0 && errno != EINVAL ? -errno : 0;
	close(fd);
	return r;
}

/* Writes all of data to fd, or the source file src when data is NULL. */
static int write_out(int fd, const void *data, size_t len, const char *src)
{
	int in = -1;
	char buf[1 << 16];

	if (!data) {
		in = open(src, O_RDONLY | O_CLOEXEC);
		if (in < 0)
			return -errno;
	}
	for (size_t done = 0;;) {
		const char *p;
		size_t n;
		if (data) {
			if (done == len)
				break;
			p = (const char *)data + done;
			n = len - done;
		} else {
			ssize_t got = read(in, buf, sizeof(buf));
			if (got < 0 && errno == EINTR)
				continue;
			if (got < 0) {
				int e = errno;
				close(in);
				return -e;
			}
			if (got == 0)
				break;
			p = buf;
			n = (size_t)got;
		}
		while (n) {
			ssize_t w = write(fd, p, n);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				int e = errno;
				if (in >= 0)
					close(in);
				return -e;
			}
			p += w;
			n -= (size_t)w;
			done += (size_t)w;
		}
	}
	if (in >= 0)
		close(in);
	return 0;
}

static int atomic(const char *path, const void *data, size_t len, const char *src)
{
	char tmp[4096];

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s" SYS_TMP_SUFFIX, path) >= sizeof(tmp))
		return -ENAMETOOLONG;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	int r = write_out(fd, data, len, src);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) < 0)
		r = -errno;
	if (r < 0) {
		unlink(tmp);
		return r;
	}
	return fsync_dir(path);
}

int sys_write_atomic(const char *path, const void *data, size_t len)
{
	static const char empty[1];
	return atomic(path, data ? data : empty, len, NULL);
}

int sys_copy_atomic(const char *path, const char *src)
{
	return atomic(path, NULL, 0, src);
}

int sys_run(char *const argv[], char *out, size_t cap)
{
	int p[2];

	if (cap)
		out[0] = '\0';
	if (pipe(p) < 0)
		return -errno;
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(p[0]);
		close(p[1]);
		return -e;
	}
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	size_t len = 0;
	char buf[4096];
	for (;;) {
		ssize_t n = read(p[0], buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		size_t take = cap > len + 1 ? HS_MIN((size_t)n, cap - len - 1) : 0;
		memcpy(out + len, buf, take);
		len += take;
	}
	if (cap)
		out[len] = '\0';
	close(p[0]);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return -ENOENT;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

bool sys_efi_booted(void)
{
	return access("/sys/firmware/efi", F_OK) == 0;
}

int sys_efivar(const char *name, const char *guid, uint8_t **ret, size_t *ret_len)
{
	char path[300];
	uint8_t *b;
	size_t n;

	snprintf(path, sizeof(path), EFIVARFS "/%s-%s", name, guid);
	int r = sys_read(path, 1u << 20, &b, &n);
	if (r < 0)
		return r;
	if (n < 4) {
		free(b);
		return -EBADMSG;
	}
	memmove(b, b + 4, n - 4);
	b[n - 4] = 0;
	*ret = b;
	*ret_len = n - 4;
	return 0;
}

int sys_efivar_str(const char *name, const char *guid, char *buf, size_t cap)
{
	uint8_t *b;
	size_t n, o = 0;
	int r = sys_efivar(name, guid, &b, &n);

	if (cap)
		buf[0] = '\0';
	if (r < 0)
		return r;
	for (size_t i = 0; i + 1 < n && o + 1 < cap; i += 2) {
		uint16_t c = (uint16_t)(b[i] | b[i + 1] << 8);
		if (!c)
			break;
		buf[o++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	buf[o] = '\0';
	free(b);
	return 0;
}

int sys_read_line(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return -errno;
	if (!fgets(buf, (int)cap, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}
