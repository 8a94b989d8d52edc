/*
 * lru-walk: the boot test's guest program, run as /init of the initramfs
 * that `backport-mglru check --boot` makes (built with the host's
 * gcc -static; it is not part of the tool's binary).
 *
 * It mounts proc, sysfs, debugfs and devtmpfs, then runs rounds: each
 * round forks children that map and touch anonymous memory, forces MGLRU
 * aging with page-table walks through /sys/kernel/debug/lru_gen
 * ("+ memcg_id node_id max_gen swappiness force_scan", max_gen read from
 * the same file) while they live, tells them to exit, ages again while
 * they exit, and reaps them.  The walk picks each child's mm (the pin that
 * the MGLRU fix changes) and lets it go (the unpin).  At the end one
 * machine-readable line (core/bootjudge.h), then the machine is rebooted,
 * which qemu -no-reboot turns into an exit:
 *
 *   lru-walk: summary rounds=R max_gen_before=A max_gen_after=B exited=E
 *             errors=N caps=0xC leaf_ptes=P
 *
 * (P: the leaf page-table entries the walk visited, from lru_gen_full.)
 * The number of rounds comes from the kernel command line
 * (lru_walk_rounds=N, which the kernel hands to init in its environment).
 * It never prints the words the judge looks for in kernel reports.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define LRU_GEN "/sys/kernel/debug/lru_gen"
#define LRU_GEN_FULL "/sys/kernel/debug/lru_gen_full"
#define LRU_GEN_CAPS "/sys/kernel/mm/lru_gen/enabled"
#define NR_CHILDREN 4
#define CHILD_BYTES (4UL << 20)
#define MAX_LRUVECS 16

struct lruvec_id {
	int memcg, node;
	long max_gen;
};

static long errors;

static void say(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n > sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(1, buf, n) < 0)
		(void)write(2, buf, n);
}

static void fail(const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	errors++;
	say("lru-walk: error: %s", msg);
}

static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t n = 0;
	ssize_t r;

	if (fd < 0)
		return -1;
	while (n + 1 < size && (r = read(fd, buf + n, size - 1 - n)) > 0)
		n += r;
	buf[n] = '\0';
	close(fd);
	return n;
}

/* The (memcg, node, max_gen) of every lruvec in lru_gen; -1 when unreadable. */
static int read_lruvecs(struct lruvec_id *v, int max)
{
	static char buf[65536];
	int n = -1, memcg = 0;
	char *line, *next;

	if (read_file(LRU_GEN, buf, sizeof(buf)) < 0)
		return -1;
	n = 0;
	for (line = buf; line && *line; line = next) {
		char *p = line;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (*p == ' ')
			p++;
		if (!strncmp(p, "memcg", 5)) {
			memcg = atoi(p + 5);
		} else if (!strncmp(p, "node", 4)) {
			if (n == max)
				break;
			v[n].memcg = memcg;
			v[n].node = atoi(p + 4);
			v[n].max_gen = -1;
			n++;
		} else if (n && *p >= '0' && *p <= '9') {
			long seq = strtol(p, NULL, 10);

			if (seq > v[n - 1].max_gen)
				v[n - 1].max_gen = seq;
		}
	}
	return n;
}

static long max_gen_of(const struct lruvec_id *v, int n)
{
	long m = -1;

	for (int i = 0; i < n; i++)
		if (v[i].max_gen > m)
			m = v[i].max_gen;
	return m;
}

/*
 * The leaf PTEs the page-table walk has visited, from lru_gen_full: on the
 * max_seq line, the walk's counters come as " %10lu" each followed by one
 * letter, "LOYNFA" on 6.1 (L: MM_LEAF_TOTAL) and "TYFA" from 6.8 on (T:
 * MM_LEAF_TOTAL); without CONFIG_LRU_GEN_STATS they add up across walks.
 * A line whose letters are exactly one of those is such a line; the largest
 * first value, 0 when there is none, -1 when the file cannot be read.
 */
static long leaf_ptes_walked(void)
{
	static char buf[65536];
	long best = 0;
	char *line, *next;

	if (read_file(LRU_GEN_FULL, buf, sizeof(buf)) < 0)
		return -1;
	for (line = buf; line && *line; line = next) {
		char letters[16];
		size_t n = 0;
		long first = -1;
		char *p = line;
		int ok = 1;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (*p && ok) {
			char *end;
			long v;

			while (*p == ' ')
				p++;
			if (!*p)
				break;
			v = strtol(p, &end, 10);
			if (end == p || *end < 'A' || *end > 'Z' || n + 1 >= sizeof(letters)) {
				ok = 0;
				break;
			}
			if (first < 0)
				first = v;
			letters[n++] = *end;
			p = end + 1;
		}
		letters[n] = '\0';
		if (ok && (!strcmp(letters, "LOYNFA") || !strcmp(letters, "TYFA")) && first > best)
			best = first;
	}
	return best;
}

/* One aging pass over every lruvec: each gets a new generation. */
static int age_all(void)
{
	struct lruvec_id v[MAX_LRUVECS];
	int n = read_lruvecs(v, MAX_LRUVECS);

	if (n <= 0) {
		fail("cannot read " LRU_GEN ": %s", n < 0 ? strerror(errno) : "no lruvec");
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char cmd[96];
		int fd, len;

		len = snprintf(cmd, sizeof(cmd), "+ %d %d %ld 1 1\n", v[i].memcg, v[i].node,
			       v[i].max_gen);
		fd = open(LRU_GEN, O_WRONLY | O_CLOEXEC);
		if (fd < 0) {
			fail("cannot open " LRU_GEN ": %s", strerror(errno));
			return -1;
		}
		if (write(fd, cmd, len) != len) {
			fail("'%.*s' to " LRU_GEN ": %s", len - 1, cmd, strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0;
}

/* A child: touch its memory, say so, wait for the word, touch again, exit. */
static void child(int ready, int go)
{
	unsigned char *mem = mmap(NULL, CHILD_BYTES, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char c = 0;
	long page = sysconf(_SC_PAGESIZE);

	if (mem == MAP_FAILED)
		_exit(2);
	for (size_t i = 0; i < CHILD_BYTES; i += page)
		mem[i] = (unsigned char)i | 1;
	if (write(ready, "r", 1) != 1)
		_exit(3);
	if (read(go, &c, 1) < 0)
		_exit(4);
	for (size_t i = 0; i < CHILD_BYTES; i += 2 * page)
		mem[i]++;
	_exit(0);
}

static long run_round(void)
{
	int ready[2], go[2];
	pid_t pids[NR_CHILDREN];
	long exited = 0;
	int nr = 0;
	char c;

	if (pipe(ready) || pipe(go)) {
		fail("pipe: %s", strerror(errno));
		return 0;
	}
	for (; nr < NR_CHILDREN; nr++) {
		pids[nr] = fork();
		if (pids[nr] < 0) {
			fail("fork: %s", strerror(errno));
			break;
		}
		if (!pids[nr]) {
			close(ready[0]);
			close(go[1]);
			child(ready[1], go[0]);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (int i = 0; i < nr; i++)
		if (read(ready[0], &c, 1) != 1)
			fail("a child died before touching its memory");
	age_all();		/* the walk visits the live children */
	close(go[1]);		/* they see end of file and exit */
	age_all();		/* and while they exit */
	for (int i = 0; i < nr; i++) {
		int st;

		if (waitpid(pids[i], &st, 0) == pids[i] && WIFEXITED(st) &&
		    !WEXITSTATUS(st))
			exited++;
		else
			fail("child %d ended with status 0x%x", (int)pids[i], st);
	}
	close(ready[0]);
	return exited;
}

static void mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) && errno != EBUSY)
		fail("cannot mount %s on %s: %s", type, dir, strerror(errno));
}

int main(void)
{
	struct lruvec_id v[MAX_LRUVECS];
	const char *env = getenv("lru_walk_rounds");
	long rounds = env ? strtol(env, NULL, 10) : 30, done = 0, exited = 0;
	long before, after;
	unsigned long caps = 0;
	char buf[64];
	int n;

	if (getpid() == 1) {
		mount_fs("proc", "/proc");
		mount_fs("sysfs", "/sys");
		mount_fs("debugfs", "/sys/kernel/debug");
		mount_fs("devtmpfs", "/dev");
	}
	if (read_file(LRU_GEN_CAPS, buf, sizeof(buf)) > 0)
		caps = strtoul(buf, NULL, 0);
	else
		fail("cannot read " LRU_GEN_CAPS ": %s", strerror(errno));
	n = read_lruvecs(v, MAX_LRUVECS);
	before = max_gen_of(v, n);
	say("lru-walk: start pid=%d lruvecs=%d memcg=%d node=%d max_gen=%ld caps=0x%04lx",
	    (int)getpid(), n, n > 0 ? v[0].memcg : -1, n > 0 ? v[0].node : -1, before, caps);
	if (n <= 0)
		fail("cannot read " LRU_GEN ": %s", n < 0 ? strerror(errno) : "no lruvec");
	for (; n > 0 && !errors && done < rounds; done++) {
		exited += run_round();
		if (done % 10 == 9) {
			int m = read_lruvecs(v, MAX_LRUVECS);

			say("lru-walk: round %ld max_gen=%ld exited=%ld", done + 1,
			    max_gen_of(v, m), exited);
		}
	}
	n = read_lruvecs(v, MAX_LRUVECS);
	after = max_gen_of(v, n);
	say("lru-walk: summary rounds=%ld max_gen_before=%ld max_gen_after=%ld exited=%ld "
	    "errors=%ld caps=0x%04lx leaf_ptes=%ld", done, before, after, exited, errors, caps,
	    leaf_ptes_walked());
	if (getpid() == 1) {
		sync();
		reboot(RB_AUTOBOOT);	/* qemu -no-reboot exits */
		say("lru-walk: error: reboot: %s", strerror(errno));
		for (;;)
			pause();
	}
	return errors ? 1 : 0;
}
