#define _GNU_SOURCE
#include "sys/build.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

void build_argv_push(struct build_argv *a, const char *s)
{
	ALLOC_GROW(a->v, a->nr + 2, a->alloc);
	a->v[a->nr++] = xstrdup(s);
	a->v[a->nr] = NULL;
}

void build_argv_pushf(struct build_argv *a, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ALLOC_GROW(a->v, a->nr + 2, a->alloc);
	a->v[a->nr++] = strbuf_detach(&sb, NULL);
	a->v[a->nr] = NULL;
}

void build_argv_release(struct build_argv *a)
{
	for (size_t i = 0; i < a->nr; i++)
		free(a->v[i]);
	free(a->v);
	memset(a, 0, sizeof(*a));
}

char *build_argv_join(const struct build_argv *a)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < a->nr; i++) {
		bool quote = strchr(a->v[i], ' ') != NULL;

		strbuf_addf(&sb, "%s%s%s%s", i ? " " : "", quote ? "'" : "", a->v[i],
			    quote ? "'" : "");
	}
	return strbuf_detach(&sb, NULL);
}

/* The locale variables a child does not inherit (see build_spawn()). */
static const char *const locale_vars[] = {
	"LANGUAGE", "LC_ADDRESS", "LC_COLLATE", "LC_CTYPE", "LC_IDENTIFICATION",
	"LC_MEASUREMENT", "LC_MESSAGES", "LC_MONETARY", "LC_NAME", "LC_NUMERIC",
	"LC_PAPER", "LC_TELEPHONE", "LC_TIME",
};

static const struct {
	const char *arch, *cross, *defconfig;
} arches[] = {
	{ "x86_64", "", "x86_64_defconfig" },
	{ "arm64", "aarch64-linux-gnu-", "defconfig" },
};

const char *build_cross_compile(const char *arch)
{
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++)
		if (!strcmp(arch, arches[i].arch))
			return arches[i].cross;
	return NULL;
}

const char *build_defconfig(const char *arch)
{
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++)
		if (!strcmp(arch, arches[i].arch))
			return arches[i].defconfig;
	return NULL;
}

char *build_which(const char *prog)
{
	const char *path = getenv("PATH");
	const char *p;

	if (strchr(prog, '/'))
		return access(prog, X_OK) ? NULL : xstrdup(prog);
	if (!path || !*path)
		path = "/usr/bin:/bin";
	for (p = path; ; ) {
		const char *colon = strchr(p, ':');
		size_t n = colon ? (size_t)(colon - p) : strlen(p);
		char *full = xstrfmt("%.*s/%s", n ? (int)n : 1, n ? p : ".", prog);
		struct stat st;

		if (!stat(full, &st) && S_ISREG(st.st_mode) && !access(full, X_OK))
			return full;
		free(full);
		if (!colon)
			return NULL;
		p = colon + 1;
	}
}

bool build_find_program(const char *prog)
{
	char *full = build_which(prog);
	bool found = full != NULL;

	free(full);
	return found;
}

bool build_have_compiler(const char *arch)
{
	const char *cross = build_cross_compile(arch);
	char *gcc;
	bool ok;

	if (!cross)
		return false;
	gcc = xstrfmt("%sgcc", cross);
	ok = build_find_program(gcc);
	free(gcc);
	return ok;
}

void build_make_argv(const struct build_config *c, bool keep_going,
		     const char *const *targets, size_t nr, struct build_argv *out)
{
	const char *cross = build_cross_compile(c->arch);

	if (!cross)
		BUG("unknown arch '%s'", c->arch);
	build_argv_push(out, "make");
	build_argv_pushf(out, "-C%s", c->tree);
	build_argv_pushf(out, "O=%s", c->dir);
	build_argv_pushf(out, "ARCH=%s", c->arch);
	if (*cross)
		build_argv_pushf(out, "CROSS_COMPILE=%s", cross);
	if (c->cc_wrapper && *c->cc_wrapper)
		build_argv_pushf(out, "CC=%s %sgcc", c->cc_wrapper, cross);
	if (c->kcflags_add) {
		const char *env = getenv("KCFLAGS");

		build_argv_pushf(out, "KCFLAGS=%s%s%s", env ? env : "", env && *env ? " " : "",
				 c->kcflags_add);
	}
	build_argv_pushf(out, "-j%d", c->jobs > 0 ? c->jobs : 1);
	if (keep_going)
		build_argv_push(out, "-k");
	for (size_t i = 0; i < nr; i++)
		build_argv_push(out, targets[i]);
}

/* Process groups the handlers forward to; written only with signals blocked. */
#define MAX_GROUPS 64
static volatile pid_t groups[MAX_GROUPS];
static volatile sig_atomic_t got_signal;
static int installed;
static struct sigaction old_int, old_term;

static void block_signals(sigset_t *old)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, old);
}

static void register_group(pid_t pgid, bool add)
{
	sigset_t old;

	block_signals(&old);
	for (size_t i = 0; i < MAX_GROUPS; i++) {
		if (add && !groups[i]) {
			groups[i] = pgid;
			break;
		}
		if (!add && groups[i] == pgid) {
			groups[i] = 0;
			break;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void on_signal(int sig)
{
	int saved = errno;

	got_signal = sig;
	for (size_t i = 0; i < MAX_GROUPS; i++)
		if (groups[i] > 0)
			kill(-groups[i], SIGTERM);
	errno = saved;
}

void build_signals_install(void)
{
	struct sigaction sa;

	if (installed++)
		return;
	got_signal = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
}

void build_signals_restore(void)
{
	if (!installed || --installed)
		return;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
}

bool build_interrupted(void)
{
	return got_signal != 0;
}

int build_signal(void)
{
	return got_signal;
}

double build_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int build_spawn(struct build_proc *p, const char *const *argv, const char *log_path)
{
	int logfd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	int nullfd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	int errpipe[2] = { -1, -1 };
	int child_errno = 0, ret = -1;
	sigset_t old;
	pid_t pid;
	ssize_t n;

	memset(p, 0, sizeof(*p));
	if (logfd < 0 || nullfd < 0) {
		error("cannot open build log '%s': %s", log_path, strerror(errno));
		goto out;
	}
	if (pipe2(errpipe, O_CLOEXEC)) {
		error("cannot run '%s': %s", argv[0], strerror(errno));
		goto out;
	}
	fflush(NULL);
	/* Registered before the child can be signalled from a handler. */
	block_signals(&old);
	pid = fork();
	if (pid < 0) {
		sigprocmask(SIG_SETMASK, &old, NULL);
		error("cannot run '%s': %s", argv[0], strerror(errno));
		goto out;
	}
	if (!pid) {
		setpgid(0, 0);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		sigprocmask(SIG_SETMASK, &old, NULL);
		dup2(nullfd, 0);
		dup2(logfd, 1);
		dup2(logfd, 2);
		/*
		 * The C locale for every child.  Kbuild unexports LC_ALL, so the
		 * user's LANG and LC_* reach gcc under make unless they go too,
		 * and the saved commands (sys/savedcmd.h) would then print
		 * other quotes than make did.
		 */
		for (size_t i = 0; i < ARRAY_SIZE(locale_vars); i++)
			unsetenv(locale_vars[i]);
		setenv("LANG", "C", 1);
		setenv("LC_ALL", "C", 1);
		execvp(argv[0], (char *const *)argv);
		child_errno = errno;
		n = write(errpipe[1], &child_errno, sizeof(child_errno));
		(void)n;
		_exit(127);
	}
	setpgid(pid, pid);
	sigprocmask(SIG_SETMASK, &old, NULL);
	register_group(pid, true);
	close(errpipe[1]);
	errpipe[1] = -1;
	do
		n = read(errpipe[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	if (n == sizeof(child_errno)) {
		int st;

		waitpid(pid, &st, 0);
		register_group(pid, false);
		error("cannot run '%s': %s", argv[0], strerror(child_errno));
		goto out;
	}
	p->pid = pid;
	/* A signal that came just before the child existed still counts. */
	if (got_signal)
		kill(-pid, SIGTERM);
	ret = 0;
out:
	if (errpipe[0] >= 0)
		close(errpipe[0]);
	if (errpipe[1] >= 0)
		close(errpipe[1]);
	if (logfd >= 0)
		close(logfd);
	if (nullfd >= 0)
		close(nullfd);
	return ret;
}

static void reaped(struct build_proc *p, int st)
{
	register_group(p->pid, false);
	/* make may have left children behind in the group */
	kill(-p->pid, SIGKILL);
	p->pid = 0;
	if (WIFEXITED(st)) {
		p->exit_code = WEXITSTATUS(st);
		p->term_signal = 0;
	} else {
		p->exit_code = -1;
		p->term_signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
	}
}

bool build_poll(struct build_proc *p)
{
	int st;
	pid_t r;

	if (!p->pid)
		return true;
	do
		r = waitpid(p->pid, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return false;
	if (r < 0) {		/* reaped elsewhere: treat as killed */
		register_group(p->pid, false);
		p->pid = 0;
		p->exit_code = -1;
		return true;
	}
	reaped(p, st);
	return true;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

void build_kill(struct build_proc *p)
{
	double deadline = build_now() + 2.0;

	if (!p->pid)
		return;
	kill(-p->pid, SIGTERM);
	while (!build_poll(p)) {
		if (build_now() > deadline) {
			kill(-p->pid, SIGKILL);
			deadline = build_now() + 3600;
		}
		sleep_ms(20);
	}
}

int build_run(const char *const *argv, const char *log_path, double timeout_sec,
	      enum build_status *status, int *exit_code)
{
	struct build_proc p;
	double deadline = timeout_sec > 0 ? build_now() + timeout_sec : 0;

	*status = BUILD_EXITED;
	*exit_code = -1;
	if (build_spawn(&p, argv, log_path) < 0)
		return -1;
	while (!build_poll(&p)) {
		if (build_interrupted()) {
			build_kill(&p);
			*status = BUILD_INTERRUPTED;
			return 0;
		}
		if (deadline && build_now() > deadline) {
			build_kill(&p);
			*status = BUILD_TIMEOUT;
			return 0;
		}
		sleep_ms(20);
	}
	*exit_code = p.exit_code;
	if (build_interrupted())
		*status = BUILD_INTERRUPTED;
	return 0;
}
