/* probe.c: read a running guest into facts (see probe.h). */
#include "probe.h"
#include "arena.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef SYS_openat2
#include <linux/openat2.h>
#endif

/* A list of words being gathered for a list fact. */
struct words {
	const char **v;
	size_t n, cap;
	bool seen; /* the source was read: an empty list is known, not unknown */
};

struct probe_priv {
	struct arena *arena;
	bool live;  /* the root is "/" */
	int rootfd; /* the root, for openat2 */
	char root[4096];
	const char *capture;
	size_t capev, capnotes, capif, capdisk;
	/* the first lines read so far (DMI and /sys/hypervisor serve identify and the probe) */
	struct line_read {
		const char *path, *value; /* value NULL: missing or unusable */
	} * lines;
	size_t nlines, caplines;
	struct words features, caps, clocks, dmesg, chips, xendev, netdrv, netkind, netfront,
		diskdrv, cmdline, fstab, xvd;
};

struct probe *probe_new(void)
{
	struct probe *p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	if ((p->priv = calloc(1, sizeof(*p->priv))) == NULL ||
	    (p->priv->arena = arena_new()) == NULL) {
		free(p->priv);
		free(p);
		return NULL;
	}
	p->priv->rootfd = -1;
	p->priv->live = true;
	return p;
}

void probe_free(struct probe *p)
{
	if (p == NULL)
		return;
	kconfig_free(p->kconfig);
	if (p->priv) {
		if (p->priv->rootfd >= 0)
			close(p->priv->rootfd);
		arena_free(p->priv->arena);
		free(p->priv);
	}
	free(p);
}

static void note(struct probe *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(struct probe *p, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	const char **n = arena_push(p->priv->arena, (void **)&p->notes, &p->nnotes,
				    &p->priv->capnotes, sizeof(*n));
	if (n)
		*n = arena_strdup(p->priv->arena, buf);
}

static void evidence(struct probe *p, const char *fact, const char *value, const char *file)
{
	struct probe_evidence *e = arena_push(p->priv->arena, (void **)&p->evidence, &p->nevidence,
					      &p->priv->capev, sizeof(*e));
	if (e)
		*e = (struct probe_evidence){fact, arena_strdup(p->priv->arena, value),
					     arena_strdup(p->priv->arena, file)};
}

static void add_word(struct probe *p, struct words *w, const char *s, size_t n)
{
	w->seen = true;
	for (size_t i = 0; i < w->n; i++)
		if (strlen(w->v[i]) == n && memcmp(w->v[i], s, n) == 0)
			return;
	if (w->n >= PROBE_MAX_ENTRIES)
		return;
	const char **slot =
		arena_push(p->priv->arena, (void **)&w->v, &w->n, &w->cap, sizeof(*w->v));
	if (slot)
		*slot = arena_strndup(p->priv->arena, s, n);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sets a list fact from the words gathered, sorted (list facts of more than 16 words are
 * searched with bsearch). Nothing when the source was never read. */
static void set_words(struct probe *p, enum fact_id f, struct words *w)
{
	if (!w->seen)
		return;
	if (w->n > 1)
		qsort(w->v, w->n, sizeof(*w->v), cmp_str);
	facts_set_list(&p->facts, f, w->v, w->n);
}

static const char *join_words(struct probe *p, const struct words *w)
{
	size_t len = 1;
	for (size_t i = 0; i < w->n; i++)
		len += strlen(w->v[i]) + 2;
	char *s = arena_alloc(p->priv->arena, len), *o = s;
	if (s == NULL)
		return "";
	*o = '\0';
	for (size_t i = 0; i < w->n; i++)
		o += sprintf(o, "%s%s", i ? ", " : "", w->v[i]);
	return s;
}

/* ---- reading under the root, and the capture -------------------------------------- */

static int open_in(struct probe *p, const char *path, int flags)
{
	flags |= O_CLOEXEC | O_NOCTTY;
	if (p->priv->live)
		return open(path, flags);
#ifdef SYS_openat2
	/* symbolic links in a captured tree resolve inside it, never on this machine */
	struct open_how how = {.flags = (uint64_t)flags, .resolve = RESOLVE_IN_ROOT};
	int fd = (int)syscall(SYS_openat2, p->priv->rootfd, path + 1, &how, sizeof(how));
	if (fd >= 0 || errno != ENOSYS)
		return fd;
#endif
	char full[8192];
	if (snprintf(full, sizeof(full), "%s%s", p->priv->root, path) >= (int)sizeof(full)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return open(full, flags);
}

/* Keeps the capture's first failure (the run then removes the half-written capture). */
static bool capture_failed(struct probe *p, const char *what, const char *why)
{
	if (p->capture_error == NULL)
		p->capture_error = arena_printf(p->priv->arena, "%s: %s", what, why);
	return false;
}

/* mkdir -p of CAPTURE/dir (dir absolute). */
static bool capture_mkdirs(struct probe *p, const char *dir)
{
	char buf[8192];
	if (snprintf(buf, sizeof(buf), "%s%s", p->priv->capture, dir) >= (int)sizeof(buf))
		return capture_failed(p, dir, "the path is too long");
	/* from the end of CAPTURE itself: "" makes CAPTURE, "/a/b" makes CAPTURE/a, then /a/b */
	for (char *s = buf + strlen(p->priv->capture);; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(buf, 0755) != 0 && errno != EEXIST)
			return capture_failed(p, buf, strerror(errno));
		*s = c;
		if (c == '\0')
			return true;
	}
}

static void capture_dir(struct probe *p, const char *dir)
{
	if (p->priv->capture)
		capture_mkdirs(p, dir);
}

static void capture_file(struct probe *p, const char *path, const char *buf, size_t len)
{
	if (p->priv->capture == NULL)
		return;
	char dir[4096], full[8192];
	const char *slash = strrchr(path, '/');
	if (slash == NULL || (size_t)(slash - path) >= sizeof(dir) ||
	    snprintf(full, sizeof(full), "%s%s", p->priv->capture, path) >= (int)sizeof(full)) {
		capture_failed(p, path, "the path is too long");
		return;
	}
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	if (dir[0] && !capture_mkdirs(p, dir))
		return;
	int fd = open(full, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	int err = fd < 0 ? errno : 0;
	for (size_t done = 0; err == 0 && done < len;) {
		ssize_t w = write(fd, buf + done, len - done); /* a short write, then the error */
		if (w < 0 && errno != EINTR)
			err = errno;
		else if (w > 0)
			done += (size_t)w;
	}
	if (fd >= 0 && close(fd) != 0 && err == 0)
		err = errno;
	if (err)
		capture_failed(p, full, strerror(err));
}

/* Reads ROOT/path whole, at most max bytes, NUL-terminated in the arena. NULL when it is
 * missing (silently) or cannot be read (with a note). */
static char *slurp(struct probe *p, const char *path, size_t max, size_t *len)
{
	*len = 0;
	/* O_NONBLOCK: a FIFO planted in a captured tree must not hang the run */
	int fd = open_in(p, path, O_RDONLY | O_NONBLOCK);
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			note(p, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		note(p, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	bool big = false;
	while (buf) {
		if (n == cap) {
			if (cap >= max) {
				char c;
				big = read(fd, &c, 1) > 0;
				break;
			}
			cap = cap * 4 > max ? max : cap * 4;
			char *nb = realloc(buf, cap + 1);
			if (nb == NULL) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			note(p, "%s: %s", path, strerror(errno));
			free(buf);
			buf = NULL;
			break;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (buf == NULL)
		return NULL;
	if (big)
		note(p, "%s: larger than %zu bytes; read the first %zu", path, max, max);
	capture_file(p, path, buf, n);
	char *out = arena_alloc_raw(p->priv->arena, n + 1);
	if (out) {
		memcpy(out, buf, n);
		out[n] = '\0';
		*len = n;
	}
	free(buf);
	return out;
}

/* The first line of ROOT/path, trimmed; NULL when missing, empty or not printable text
 * (with a note for the last). */
static const char *read_line(struct probe *p, const char *path)
{
	size_t n;
	char *buf = slurp(p, path, 4096, &n);
	if (buf == NULL)
		return NULL;
	char *nl = memchr(buf, '\n', n);
	if (nl)
		n = (size_t)(nl - buf);
	while (n > 0 && (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	if (n > 255) {
		note(p, "%s: a line of %zu bytes, longer than any value it should hold; ignored",
		     path, n);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < ' ' || (unsigned char)buf[i] > '~') {
			note(p, "%s: holds bytes that are not text; ignored", path);
			return NULL;
		}
	return n ? buf : NULL;
}

/* read_line, each file once per run. */
static const char *line_of(struct probe *p, const char *path)
{
	struct probe_priv *pp = p->priv;
	for (size_t i = 0; i < pp->nlines; i++)
		if (strcmp(pp->lines[i].path, path) == 0)
			return pp->lines[i].value;
	const char *v = read_line(p, path);
	struct line_read *l =
		arena_push(pp->arena, (void **)&pp->lines, &pp->nlines, &pp->caplines, sizeof(*l));
	if (l)
		*l = (struct line_read){arena_strdup(pp->arena, path), v};
	return v;
}

/* A fact from the first line of a file, with its evidence. */
static const char *fact_line(struct probe *p, enum fact_id f, const char *path)
{
	const char *v = line_of(p, path);
	if (v) {
		facts_set_str(&p->facts, f, v);
		evidence(p, fact_defs[f].name, v, path);
	}
	return v;
}

/* The sorted entries of directory ROOT/path (at most PROBE_MAX_ENTRIES); -1 when it
 * cannot be opened. */
static int list_dir(struct probe *p, const char *path, const char ***out)
{
	*out = NULL;
	int fd = open_in(p, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			note(p, "%s: %s", path, strerror(errno));
		return -1;
	}
	DIR *d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return -1;
	}
	capture_dir(p, path);
	const char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if (n >= PROBE_MAX_ENTRIES) {
			note(p, "%s: more than %d entries; read the first %d", path,
			     PROBE_MAX_ENTRIES, PROBE_MAX_ENTRIES);
			break;
		}
		const char **s = arena_push(p->priv->arena, (void **)&v, &n, &cap, sizeof(*v));
		if (s)
			*s = arena_strdup(p->priv->arena, e->d_name);
		if (s && *s && p->priv->capture) {
			/* an entry tells something even when nothing in it is read (vif-0) */
			char sub[4096];
			if (snprintf(sub, sizeof(sub), "%s/%s", path, *s) < (int)sizeof(sub))
				capture_dir(p, sub);
		}
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_str);
	*out = v;
	return (int)n;
}

static bool dir_exists(struct probe *p, const char *path)
{
	int fd = open_in(p, path, O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		return false;
	close(fd);
	capture_dir(p, path);
	return true;
}

/* ---- the parsers ----------------------------------------------------------------- */

void probe_parse_cpuinfo(struct probe *p, const char *buf, size_t len)
{
	for (const char *s = buf, *end = buf + len; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		if ((size_t)(e - s) > 5 && strncmp(s, "flags", 5) == 0 &&
		    (s[5] == '\t' || s[5] == ' ' || s[5] == ':')) {
			bool has = false;
			for (const char *w = s; w < e;) {
				while (w < e && (*w == ' ' || *w == '\t'))
					w++;
				const char *we = w;
				while (we < e && *we != ' ' && *we != '\t')
					we++;
				if (we - w == 10 && memcmp(w, "hypervisor", 10) == 0)
					has = true;
				w = we;
			}
			p->facts.v[F_CPU_HYPERVISOR] = (struct fact_value){.known = true, .b = has};
			evidence(p, "cpu_hypervisor_flag", has ? "true" : "false", "/proc/cpuinfo");
			return; /* the first CPU speaks for all */
		}
		s = e + 1;
	}
}

static bool all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return n > 0;
}

/* "  25:  1234  5678  xen-percpu-virq  timer0": the chip is the first word after the
 * counts, on lines whose label is a number. */
void probe_parse_interrupts(struct probe *p, const char *buf, size_t len)
{
	struct words *w = &p->priv->chips;
	w->seen = true;
	for (const char *s = buf, *end = buf + len; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end, *t = s;
		while (t < e && *t == ' ')
			t++;
		const char *colon = memchr(t, ':', (size_t)(e - t));
		if (colon && all_digits(t, (size_t)(colon - t))) {
			for (const char *c = colon + 1; c < e;) {
				while (c < e && (*c == ' ' || *c == '\t'))
					c++;
				const char *ce = c;
				while (ce < e && *ce != ' ' && *ce != '\t')
					ce++;
				if (ce > c && !all_digits(c, (size_t)(ce - c))) {
					bool text = true;
					for (const char *q = c; q < ce; q++)
						text &= *q > ' ' && *q <= '~';
					if (text && ce - c < 64)
						add_word(p, w, c, (size_t)(ce - c));
					break;
				}
				c = ce;
			}
		}
		s = e + 1;
	}
}

/* /dev/kmsg records "prio,seq,usec,flags;message" (continuation lines start with a
 * space); a captured tree keeps them one per line. */
void probe_parse_kmsg(struct probe *p, const struct detect_catalog *dc, const char *buf, size_t len,
		      const char *file)
{
	struct words *w = &p->priv->dmesg;
	w->seen = true;
	char msg[1024];
	for (const char *s = buf, *end = buf + len; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		const char *semi = *s == ' ' ? NULL : memchr(s, ';', (size_t)(e - s));
		size_t n = semi ? (size_t)(e - semi - 1) : 0;
		if (semi && n > 0 && n < sizeof(msg)) {
			memcpy(msg, semi + 1, n);
			msg[n] = '\0';
			for (size_t i = 0; i < dc->ndmesg; i++) {
				bool hit = false;
				for (const char **m = dc->dmesg[i].match; *m && !hit; m++)
					hit = fnmatch(*m, msg, 0) == 0;
				size_t before = w->n;
				if (hit)
					add_word(p, w, dc->dmesg[i].id, strlen(dc->dmesg[i].id));
				if (hit && w->n > before)
					evidence(p, "dmesg", msg, file);
			}
		}
		s = e + 1;
	}
}

void probe_parse_features(struct probe *p, const struct detect_catalog *dc, const char *line,
			  const char *file)
{
	char *end = NULL;
	errno = 0;
	unsigned long long v = strtoull(line, &end, 16);
	if (end == line || *end != '\0' || errno != 0 || line[0] == '-' || line[0] == '+' ||
	    strlen(line) > 16) {
		note(p, "%s: '%.32s' is not a hex number; ignored", file, line);
		return;
	}
	struct words *w = &p->priv->features;
	w->seen = true;
	for (size_t i = 0; i < dc->nfeatures; i++)
		if (v & (1ULL << dc->features[i].bit))
			add_word(p, w, dc->features[i].name, strlen(dc->features[i].name));
	evidence(p, "xen_features",
		 arena_printf(p->priv->arena, "%s (%s)", line, w->n ? join_words(p, w) : "none"),
		 file);
}

void probe_parse_fstab(struct probe *p, const struct detect_catalog *dc, const char *buf,
		       size_t len)
{
	p->priv->fstab.seen = true;
	p->priv->xvd.seen = true;
	for (const char *s = buf, *end = buf + len; s < end;) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		const char *e = nl ? nl : end;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		const char *we = s;
		while (we < e && *we != ' ' && *we != '\t')
			we++;
		bool text = we > s && *s != '#' && we - s < 256;
		for (const char *q = s; text && q < we; q++)
			text = *q > ' ' && *q <= '~';
		if (text) {
			add_word(p, &p->priv->fstab, s, (size_t)(we - s));
			char src[256];
			memcpy(src, s, (size_t)(we - s));
			src[we - s] = '\0';
			bool xen = false;
			for (const char **m = dc->fstab_xen; m && *m && !xen; m++)
				xen = fnmatch(*m, src, 0) == 0;
			if (xen)
				add_word(p, &p->priv->xvd, s, (size_t)(we - s));
		}
		s = e + 1;
	}
}

/* The command line's words; a word KEY=VALUE also gives KEY, so rules can test for a
 * parameter whatever its value. */
void probe_parse_cmdline(struct probe *p, const char *buf, size_t len)
{
	struct words *w = &p->priv->cmdline;
	w->seen = true;
	for (const char *s = buf, *end = buf + len; s < end;) {
		while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\0'))
			s++;
		const char *we = s;
		while (we<end && * we> ' ' && *we <= '~')
			we++;
		if (we == s) {
			if (s < end)
				s++;
			continue;
		}
		add_word(p, w, s, (size_t)(we - s));
		const char *eq = memchr(s, '=', (size_t)(we - s));
		if (eq && eq > s)
			add_word(p, w, s, (size_t)(eq - s));
		s = we;
	}
}

/* ---- the parts of the machine ---------------------------------------------------- */

static void read_xen(struct probe *p, const struct detect_catalog *dc)
{
	fact_line(p, F_SYS_HYPERVISOR_TYPE, "/sys/hypervisor/type");
	fact_line(p, F_XEN_GUEST_TYPE, "/sys/hypervisor/guest_type");
	const char *feat = line_of(p, "/sys/hypervisor/properties/features");
	if (feat)
		probe_parse_features(p, dc, feat, "/sys/hypervisor/properties/features");
	const char *maj = line_of(p, "/sys/hypervisor/version/major");
	const char *min = line_of(p, "/sys/hypervisor/version/minor");
	const char *extra = line_of(p, "/sys/hypervisor/version/extra");
	if (maj && min && all_digits(maj, strlen(maj)) && all_digits(min, strlen(min))) {
		const char *num = arena_printf(p->priv->arena, "%s.%s", maj, min);
		p->xen_version = extra ? arena_printf(p->priv->arena, "%s%s", num, extra) : num;
		facts_set_str(&p->facts, F_XEN_VERSION, num);
		evidence(p, "xen_version", p->xen_version, "/sys/hypervisor/version");
	}
	if (dir_exists(p, "/proc/xen")) {
		p->facts.v[F_PROC_XEN] = (struct fact_value){.known = true, .b = true};
		evidence(p, "proc_xen", "true", "/proc/xen");
		size_t n;
		const char *caps = slurp(p, "/proc/xen/capabilities", 4096, &n);
		if (caps) {
			struct words *w = &p->priv->caps;
			w->seen = true;
			for (const char *s = caps, *end = caps + n; s < end;) {
				while (s < end && (*s == ' ' || *s == '\n' || *s == ','))
					s++;
				const char *we = s;
				while (we<end && * we> ' ' && *we <= '~' && *we != ',')
					we++;
				if (we > s)
					add_word(p, w, s, (size_t)(we - s));
				s = we > s ? we : s + 1;
			}
			evidence(p, "xen_capabilities", w->n ? join_words(p, w) : "(empty)",
				 "/proc/xen/capabilities");
		}
	}
}

static void read_dmi(struct probe *p)
{
	static const struct {
		enum fact_id f;
		const char *file;
	} files[] = {
		{F_DMI_SYS_VENDOR, "/sys/class/dmi/id/sys_vendor"},
		{F_DMI_PRODUCT_NAME, "/sys/class/dmi/id/product_name"},
		{F_DMI_PRODUCT_VERSION, "/sys/class/dmi/id/product_version"},
		{F_DMI_BIOS_VENDOR, "/sys/class/dmi/id/bios_vendor"},
		{F_DMI_BIOS_VERSION, "/sys/class/dmi/id/bios_version"},
	};
	if (dir_exists(p, "/sys/class/dmi/id")) {
		/* the tables are there when at least one value reads as text */
		bool any = false;
		for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			any |= fact_line(p, files[i].f, files[i].file) != NULL;
		if (any)
			p->facts.v[F_DMI] = (struct fact_value){.known = true, .b = true};
	} else if (dir_exists(p, "/sys/class")) {
		/* sysfs is there, DMI is not: the firmware gave no SMBIOS tables */
		p->facts.v[F_DMI] = (struct fact_value){.known = true, .b = false};
		evidence(p, "dmi", "false (no /sys/class/dmi/id)", "/sys/class");
	}
}

static void read_kmsg(struct probe *p, const struct detect_catalog *dc)
{
	if (!p->priv->live) {
		size_t n;
		const char *buf = slurp(p, "/dev/kmsg", PROBE_MAX_FILE, &n);
		if (buf)
			probe_parse_kmsg(p, dc, buf, n, "/dev/kmsg");
		return;
	}
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		note(p, "/dev/kmsg: %s%s", strerror(errno),
		     errno == EPERM || errno == EACCES ? " (the kernel log needs root)" : "");
		return;
	}
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	for (; buf;) {
		if (cap - n < 8192) {
			if (cap >= PROBE_MAX_FILE)
				break;
			char *nb = realloc(buf, cap * 2);
			if (nb == NULL)
				break;
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, 8191); /* one record per read */
		if (r < 0 && (errno == EPIPE || errno == EINTR))
			continue; /* a record was overwritten: go on with the next */
		if (r <= 0)
			break; /* EAGAIN: the end of the log */
		n += (size_t)r;
		if (buf[n - 1] != '\n')
			buf[n++] = '\n';
	}
	close(fd);
	if (buf) {
		capture_file(p, "/dev/kmsg", buf, n);
		probe_parse_kmsg(p, dc, buf, n, "/dev/kmsg");
		free(buf);
	}
}

/* DRIVER= from a device's uevent file. */
static const char *uevent_driver(struct probe *p, const char *path)
{
	size_t n;
	const char *buf = slurp(p, path, 65536, &n);
	for (const char *s = buf; s && s < buf + n;) {
		const char *nl = memchr(s, '\n', (size_t)(buf + n - s));
		const char *e = nl ? nl : buf + n;
		if (e - s > 7 && strncmp(s, "DRIVER=", 7) == 0 && e - s < 64 + 7) {
			for (const char *q = s + 7; q < e; q++)
				if (*q <= ' ' || *q > '~')
					return NULL;
			return arena_strndup(p->priv->arena, s + 7, (size_t)(e - s - 7));
		}
		s = e + 1;
	}
	return NULL;
}

static void read_net(struct probe *p, const struct detect_catalog *dc)
{
	const char **names;
	int n = list_dir(p, "/sys/class/net", &names);
	if (n < 0)
		return;
	struct probe_priv *pp = p->priv;
	pp->netdrv.seen = pp->netkind.seen = pp->netfront.seen = true;
	for (int i = 0; i < n; i++) {
		if (strcmp(names[i], "lo") == 0 || strchr(names[i], '/'))
			continue;
		char path[512];
		snprintf(path, sizeof(path), "/sys/class/net/%s/device/uevent", names[i]);
		const char *drv = uevent_driver(p, path);
		if (drv == NULL)
			continue; /* a virtual interface (bridge, veth, tunnel) */
		struct probe_iface *f = arena_push(pp->arena, (void **)&p->ifaces, &p->nifaces,
						   &pp->capif, sizeof(*f));
		if (f == NULL)
			return;
		*f = (struct probe_iface){names[i], drv, detectcat_driver(dc, "net", drv)};
		add_word(p, &pp->netdrv, drv, strlen(drv));
		if (f->known && strcmp(f->known->network, "none") != 0)
			add_word(p, &pp->netkind, f->known->network, strlen(f->known->network));
		if (f->known && strcmp(f->known->kind, "xen-netfront") == 0)
			add_word(p, &pp->netfront, names[i], strlen(names[i]));
		evidence(p, "net_drivers", arena_printf(pp->arena, "%s: %s", names[i], drv), path);
	}
	if (pp->netkind.n == 0)
		add_word(p, &pp->netkind, "none", 4);
}

static void read_disks(struct probe *p, const struct detect_catalog *dc)
{
	const char **names;
	int n = list_dir(p, "/sys/block", &names);
	if (n < 0)
		return;
	p->priv->diskdrv.seen = true;
	for (int i = 0; i < n; i++) {
		if (strchr(names[i], '/'))
			continue;
		char path[512];
		/* a disk's device, or (NVMe namespaces) its controller's device */
		snprintf(path, sizeof(path), "/sys/block/%s/device/uevent", names[i]);
		const char *drv = uevent_driver(p, path);
		if (drv == NULL) {
			snprintf(path, sizeof(path), "/sys/block/%s/device/device/uevent",
				 names[i]);
			drv = uevent_driver(p, path);
		}
		if (drv == NULL)
			continue; /* loop, ram, device-mapper: no device of their own */
		struct probe_disk *k = arena_push(p->priv->arena, (void **)&p->disks, &p->ndisks,
						  &p->priv->capdisk, sizeof(*k));
		if (k == NULL)
			return;
		*k = (struct probe_disk){names[i], drv, detectcat_driver(dc, "disk", drv)};
		add_word(p, &p->priv->diskdrv, drv, strlen(drv));
		evidence(p, "disk_drivers", arena_printf(p->priv->arena, "%s: %s", names[i], drv),
			 path);
	}
}

static void read_xenbus(struct probe *p)
{
	const char **names;
	int n = list_dir(p, "/sys/bus/xen/devices", &names);
	if (n < 0)
		return;
	p->priv->xendev.seen = true;
	for (int i = 0; i < n; i++) {
		const char *dash = strchr(names[i], '-');
		add_word(p, &p->priv->xendev, names[i],
			 dash ? (size_t)(dash - names[i]) : strlen(names[i]));
	}
	evidence(p, "xen_devices", p->priv->xendev.n ? join_words(p, &p->priv->xendev) : "(none)",
		 "/sys/bus/xen/devices");
}

static void read_kernel(struct probe *p)
{
	p->kernel_release = fact_line(p, F_KERNEL_VERSION, "/proc/sys/kernel/osrelease");
	size_t n;
	const char *buf = slurp(p, "/proc/cmdline", 65536, &n);
	if (buf) {
		probe_parse_cmdline(p, buf, n);
		char *one = arena_strndup(p->priv->arena, buf, strcspn(buf, "\n"));
		for (char *c = one; c && *c; c++)
			if ((unsigned char)*c < ' ' || (unsigned char)*c > '~')
				*c = '?';
		evidence(p, "kernel_cmdline", one ? one : "", "/proc/cmdline");
	}
	char path[512];
	const char *cfg = NULL;
	if (p->kernel_release && !strchr(p->kernel_release, '/')) {
		snprintf(path, sizeof(path), "/boot/config-%s", p->kernel_release);
		if ((cfg = slurp(p, path, KCONFIG_MAX_BYTES, &n)))
			p->kconfig_file = arena_strdup(p->priv->arena, path);
	}
	if (cfg == NULL && (cfg = slurp(p, "/proc/config.gz", KCONFIG_MAX_BYTES, &n)))
		p->kconfig_file = "/proc/config.gz";
	if (cfg == NULL)
		return;
	struct diags d;
	diags_init(&d);
	p->kconfig = kconfig_from_bytes(cfg, n, p->kconfig_file, &d);
	if (p->kconfig == NULL) {
		note(p, "%s: not a kernel config (%d:%d: %s); ignored", p->kconfig_file,
		     d.n ? d.v[0].line : 0, d.n ? d.v[0].col : 0, d.n ? d.v[0].msg : "?");
		p->kconfig_file = NULL;
	} else {
		facts_set_list(&p->facts, F_KERNEL_CONFIG, p->kconfig->on, p->kconfig->non);
		facts_set_list(&p->facts, F_KERNEL_CONFIG_OFF, p->kconfig->off, p->kconfig->noff);
		facts_set_list(&p->facts, F_KERNEL_MODULES, p->kconfig->mod, p->kconfig->nmod);
		evidence(p, "kernel_config",
			 arena_printf(p->priv->arena, "%zu options set", p->kconfig->non),
			 p->kconfig_file);
	}
	diags_free(&d);
}

/* Gives identify the probe's reading of a signal's file (read once, and captured), or the
 * XenStore key (captured as xenstore/KEY, which is where --root looks for it). */
static bool identify_read(void *ctx, const struct id_signal *s, char *out, size_t outlen)
{
	struct probe *p = ctx;
	if (s->file) {
		const char *v = line_of(p, s->file);
		if (v == NULL || strlen(v) >= outlen)
			return false;
		strcpy(out, v);
		return true;
	}
	if (!identify_read_xenstore(p->priv->live ? "/" : p->priv->root, s->xenstore, out, outlen))
		return false;
	char path[512];
	if (snprintf(path, sizeof(path), "/xenstore/%s", s->xenstore) < (int)sizeof(path))
		capture_file(p, path, out, strlen(out));
	return true;
}

static void read_identify(struct probe *p, const struct identify *id)
{
	struct id_result r;
	if (id && identify_probe_with(id, identify_read, p, &r)) {
		facts_set_str(&p->facts, F_IDENTIFIED_PROVIDER, r.signal->provider);
		evidence(p, "identified_provider",
			 arena_printf(p->priv->arena, "%s (%s)", r.signal->provider, r.value),
			 r.signal->file
				 ? r.signal->file
				 : arena_printf(p->priv->arena, "xenstore %s", r.signal->xenstore));
	}
}

void probe_finish(struct probe *p)
{
	struct probe_priv *pp = p->priv;
	set_words(p, F_XEN_FEATURES, &pp->features);
	set_words(p, F_XEN_CAPABILITIES, &pp->caps);
	set_words(p, F_DMESG, &pp->dmesg);
	set_words(p, F_INTERRUPT_CHIPS, &pp->chips);
	set_words(p, F_CLOCKSOURCES, &pp->clocks);
	set_words(p, F_XEN_DEVICES, &pp->xendev);
	set_words(p, F_NET_DRIVERS, &pp->netdrv);
	set_words(p, F_NET_KINDS, &pp->netkind);
	set_words(p, F_DISK_DRIVERS, &pp->diskdrv);
	set_words(p, F_KERNEL_CMDLINE, &pp->cmdline);
	set_words(p, F_FSTAB_SOURCES, &pp->fstab);
	if (pp->xvd.n)
		set_words(p, F_XVD_FSTAB, &pp->xvd);
	if (pp->netfront.n)
		set_words(p, F_NETFRONT_INTERFACES, &pp->netfront);
}

struct probe *probe_run(const struct detect_catalog *dc, const struct identify *id,
			const struct probe_opts *o)
{
	struct probe *p = probe_new();
	if (p == NULL)
		return NULL;
	struct probe_priv *pp = p->priv;
	const char *root = o->root ? o->root : "/";
	pp->live = strcmp(root, "/") == 0;
	if (!pp->live) {
		size_t n = strlen(root);
		while (n > 1 && root[n - 1] == '/')
			n--;
		if (n >= sizeof(pp->root))
			n = sizeof(pp->root) - 1;
		memcpy(pp->root, root, n);
		pp->root[n] = '\0';
		pp->rootfd = open(pp->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	pp->capture = o->capture;
	if (pp->capture && !capture_mkdirs(p, ""))
		return p;

	size_t n;
	const char *buf;
	if ((buf = slurp(p, "/proc/cpuinfo", PROBE_MAX_FILE, &n)))
		probe_parse_cpuinfo(p, buf, n);
	read_xen(p, dc);
	read_dmi(p);
	read_identify(p, id);
	read_kmsg(p, dc);
	if ((buf = slurp(p, "/proc/interrupts", PROBE_MAX_FILE, &n))) {
		probe_parse_interrupts(p, buf, n);
		struct words *w = &pp->chips;
		bool xen = false;
		for (size_t i = 0; i < w->n; i++)
			xen |= strncmp(w->v[i], "xen-", 4) == 0;
		evidence(p, "interrupt_chips", xen ? join_words(p, w) : "(no xen-* chips)",
			 "/proc/interrupts");
	}
	fact_line(p, F_CLOCKSOURCE,
		  "/sys/devices/system/clocksource/clocksource0/current_clocksource");
	const char *avail =
		line_of(p, "/sys/devices/system/clocksource/clocksource0/available_clocksource");
	for (const char *s = avail; s && *s;) {
		size_t k = strcspn(s, " ");
		if (k)
			add_word(p, &pp->clocks, s, k);
		s += k + (s[k] == ' ');
	}
	if (avail)
		evidence(p, "clocksources", avail,
			 "/sys/devices/system/clocksource/clocksource0/available_clocksource");
	read_xenbus(p);
	read_net(p, dc);
	read_disks(p, dc);
	read_kernel(p);
	if ((buf = slurp(p, "/etc/fstab", 1 << 20, &n))) {
		probe_parse_fstab(p, dc, buf, n);
		if (pp->xvd.n)
			evidence(p, "xvd_fstab", join_words(p, &pp->xvd), "/etc/fstab");
	}

	probe_finish(p);
	return p;
}
