/*
 * The compile check on the real stable repository ($REAL_KERNEL_REPO): kernel
 * builds of mm/vmscan.o with the fix applied, broken, and under configs that
 * do not build it; reuse of the cache; SIGINT; distcc on loopback.
 *
 * The cache is $BACKPORT_MGLRU_CACHE when set, else real-check-cache in the
 * current (build) directory, shared by the tests of a run and by reruns.
 */
#define _GNU_SOURCE
#include "testlib.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/error.h"
#include "core/locate.h"
#include "core/xalloc.h"
#include "sys/build.h"
#include "sys/catalogue.h"
#include "sys/check.h"
#include "sys/repo.h"

static char *cache;
static struct catalogue cat = CATALOGUE_INIT;	/* the shipped fixes */
static bool no_shortcut;	/* run() with opts.no_shortcut */

struct fixture {
	struct repo *repo;
	struct branch branch;
	struct strbuf base;	/* mm/vmscan.c at the branch */
	char *patched;
	struct commit_file file;
	struct variant variant;
};

/* Replaces the one occurrence of from in s (which must be there). */
static char *replace(const char *s, const char *from, const char *to)
{
	const char *hit = strstr(s, from);

	if (!hit)
		fail_msg("'%s' not found", from);
	assert_null(strstr(hit + 1, from));
	return xstrfmt("%.*s%s%s", (int)(hit - s), s, to, hit + strlen(from));
}

static void fixture_open(struct fixture *f, const char *spec)
{
	memset(f, 0, sizeof(*f));
	strbuf_init(&f->base, 0);
	if (repo_open(&f->repo, tl_env("REAL_KERNEL_REPO")) < 0 ||
	    repo_resolve_branch(f->repo, spec, &f->branch) < 0 ||
	    repo_read_version(f->repo, &f->branch) < 0 ||
	    repo_read_blob(f->repo, f->branch.commit, "mm/vmscan.c", &f->base, NULL) < 0)
		fail_msg("%s: %s", spec, error_last());
	variant_init(&f->variant);
	variant_classify(&f->variant, "mm/vmscan.c", f->base.buf, f->base.len, NULL, 0,
			 "exit_mmap");
	assert_true(f->variant.pin.found);
}

/* The shipped fix, as string replacements on the blob. */
static void fixture_fix(struct fixture *f)
{
	char *a;

	if (f->branch.version.patchlevel == 1)
		a = replace(f->base.buf, "\treturn !mmget_not_zero(mm);\n",
			    "\tmmgrab(mm);\n\treturn false;\n");
	else
		a = replace(f->base.buf, "\treturn mmget_not_zero(mm) ? mm : NULL;\n",
			    "\tmmgrab(mm);\n\treturn mm;\n");
	free(f->patched);
	f->patched = replace(a, "mmput_async(*iter);", "mmdrop(*iter);");
	free(a);
	f->file.path = "mm/vmscan.c";
	f->file.data = f->patched;
	f->file.len = strlen(f->patched);
}

/*
 * Puts stmt (a line naming marker) after the fixed pin's mmgrab(mm) line;
 * returns the line where marker then is.
 */
static size_t fixture_add_after_pin(struct fixture *f, const char *stmt,
				    const char *marker)
{
	char *with = xstrfmt("\tmmgrab(mm);\n%s", stmt);
	char *text = replace(f->patched, "\tmmgrab(mm);\n", with);
	const char *hit = strstr(text, marker);
	size_t line = 1;

	assert_non_null(hit);
	for (const char *p = text; p < hit; p++)
		line += *p == '\n';
	free(with);
	free(f->patched);
	f->patched = text;
	f->file.data = text;
	f->file.len = strlen(text);
	return line;
}

static void fixture_close(struct fixture *f)
{
	variant_release(&f->variant);
	free(f->patched);
	strbuf_release(&f->base);
	branch_release(&f->branch);
	repo_free(f->repo);
}

static void run(struct fixture *f, const char *arch, const char *config,
		const char *cc, struct check_result *res)
{
	struct check_opts o = CHECK_OPTS_INIT;
	struct check_job job = { catalogue_find(&cat, "mglru-mmgrab"), &f->branch, &f->file,
				 1, &f->variant, NULL, arch, config };
	struct variant after;

	/* what backport.c hands the check: the patched text, located once */
	variant_init(&after);
	variant_classify(&after, "mm/vmscan.c", f->file.data, f->file.len, NULL, 0,
			 "exit_mmap");
	job.after = &after;
	o.cache = cache;
	o.cc_wrapper = cc;
	o.timeout_sec = 900;
	o.progress = 1;
	o.no_shortcut = no_shortcut;
	if (check_run(f->repo, &job, 1, &o, res) < 0)
		fail_msg("check_run: %s", error_last());
	variant_release(&after);
	fprintf(stderr, "check %s %s %s: %s (%.1fs) log %s\n", f->branch.label, arch,
		config ? config : "defconfig", res->summary, res->seconds,
		res->log_path ? res->log_path : "-");
}

static void expect_ok(const char *spec, const char *arch)
{
	struct fixture f;
	struct check_result res;

	if (!build_have_compiler(arch))
		skip();
	fixture_open(&f, spec);
	fixture_fix(&f);
	run(&f, arch, NULL, NULL, &res);
	if (res.outcome != CHECK_OK)
		fail_msg("%s %s: %s (%s)", spec, arch, res.summary,
			 res.detail ? res.detail : "-");
	assert_string_equal(res.summary, "ok");
	assert_true(access(res.log_path, R_OK) == 0);
	check_result_release(&res);
	fixture_close(&f);
}

static void test_6_1_x86_64(void **state)
{
	(void)state;
	expect_ok("v6.1.192", "x86_64");
}

static void test_6_12_x86_64(void **state)
{
	(void)state;
	expect_ok("v6.12.117", "x86_64");
}

static void test_6_12_arm64(void **state)
{
	(void)state;
	expect_ok("v6.12.117", "arm64");
}

static double mtime_of(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		fail_msg("cannot stat '%s'", path);
	return (double)st.st_mtim.tv_sec + (double)st.st_mtim.tv_nsec / 1e9;
}

/* A second run of a check reuses the tree and the build directory. */
static void test_second_run_reuses(void **state)
{
	struct fixture f;
	struct check_result res;
	char *obj, *src, *cfg;
	double obj_t, src_t, cfg_t;

	(void)state;
	fixture_open(&f, "v6.1.192");
	fixture_fix(&f);
	run(&f, "x86_64", NULL, NULL, &res);
	assert_int_equal(res.outcome, CHECK_OK);
	obj = xstrfmt("%s/mm/vmscan.o", res.build_dir);
	cfg = xstrfmt("%s/.config", res.build_dir);
	src = xstrfmt("%s/trees/6.1.y/mm/vmscan.c", cache);
	obj_t = mtime_of(obj);
	src_t = mtime_of(src);
	cfg_t = mtime_of(cfg);
	check_result_release(&res);

	run(&f, "x86_64", NULL, NULL, &res);
	assert_int_equal(res.outcome, CHECK_OK);
	assert_false(res.configured);
	assert_false(res.baseline_built);
	assert_true(mtime_of(obj) == obj_t);
	assert_true(mtime_of(src) == src_t);
	assert_true(mtime_of(cfg) == cfg_t);
	check_result_release(&res);
	free(obj);
	free(src);
	free(cfg);
	fixture_close(&f);
}

/* An undeclared identifier in should_skip_mm: the error at its line. */
static void test_broken_patch(void **state)
{
	struct fixture f;
	struct check_result res;
	char *want;
	size_t line;

	(void)state;
	fixture_open(&f, "v6.1.192");
	fixture_fix(&f);
	line = fixture_add_after_pin(&f, "\tbackport_mglru_undeclared++;\n",
				     "backport_mglru_undeclared");
	run(&f, "x86_64", NULL, NULL, &res);
	assert_int_equal(res.outcome, CHECK_ERROR);
	want = xstrfmt("error at mm/vmscan.c:%zu: ", line);
	assert_contains(res.summary, want);
	assert_contains(res.summary, "backport_mglru_undeclared");
	assert_contains(res.summary, "undeclared");
	/* the baseline was compared, and the unpatched tree builds */
	assert_null(res.detail);
	free(want);
	check_result_release(&res);
	fixture_close(&f);
}

/* Removes the cached baseline diagnostics whose names start with prefix. */
static void drop_baselines(const char *prefix)
{
	char *dir = xstrfmt("%s/baseline", cache);
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (!strncmp(e->d_name, prefix, strlen(prefix))) {
			char *path = xstrfmt("%s/%s", dir, e->d_name);

			unlink(path);
			free(path);
		}
	}
	if (d)
		closedir(d);
	free(dir);
}

/*
 * A re-check after a patch edit: only mm/vmscan.c changed since the last
 * make, so kbuild's saved command compiles it (make skipped), into the side
 * directory, and an error is still found at its line.  A header newer than
 * the object sends the next check back to make; --no-shortcut always makes.
 */
static void test_saved_command(void **state)
{
	struct fixture f;
	struct check_result res;
	char *obj, *side, *hdr, *want;
	double obj_t;
	size_t line;

	(void)state;
	fixture_open(&f, "v6.1.192");
	fixture_fix(&f);
	run(&f, "x86_64", NULL, NULL, &res);	/* make or not: the cache decides */
	assert_int_equal(res.outcome, CHECK_OK);
	obj = xstrfmt("%s/mm/vmscan.o", res.build_dir);
	side = xstrfmt("%s/.backport-mglru-direct/mm/vmscan.o", res.build_dir);
	hdr = xstrfmt("%s/trees/6.1.y/include/linux/mm_inline.h", cache);
	check_result_release(&res);
	obj_t = mtime_of(obj);

	line = fixture_add_after_pin(&f, "\tbackport_mglru_edit++;\n", "backport_mglru_edit");
	run(&f, "x86_64", NULL, NULL, &res);
	assert_true(res.saved_command);
	assert_int_equal(res.outcome, CHECK_ERROR);
	want = xstrfmt("error at mm/vmscan.c:%zu: ", line);
	assert_contains(res.summary, want);
	assert_contains(res.summary, "backport_mglru_edit");
	assert_true(mtime_of(obj) == obj_t);	/* the last make's object, untouched */
	check_result_release(&res);

	fixture_fix(&f);
	run(&f, "x86_64", NULL, NULL, &res);
	assert_true(res.saved_command);
	assert_int_equal(res.outcome, CHECK_OK);
	assert_true(mtime_of(side) > obj_t);
	check_result_release(&res);

	/* a header of mm/vmscan.o changed: make, as make would have to */
	if (utimensat(AT_FDCWD, hdr, NULL, 0))
		fail_msg("cannot touch '%s'", hdr);
	run(&f, "x86_64", NULL, NULL, &res);
	assert_false(res.saved_command);
	assert_int_equal(res.outcome, CHECK_OK);
	assert_true(mtime_of(obj) > obj_t);
	check_result_release(&res);
	run(&f, "x86_64", NULL, NULL, &res);
	assert_true(res.saved_command);
	assert_int_equal(res.outcome, CHECK_OK);
	check_result_release(&res);

	no_shortcut = true;
	run(&f, "x86_64", NULL, NULL, &res);
	no_shortcut = false;
	assert_false(res.saved_command);
	assert_int_equal(res.outcome, CHECK_OK);
	check_result_release(&res);
	free(want);
	free(obj);
	free(side);
	free(hdr);
	fixture_close(&f);
}

/* The lines of the log that start with prefix, joined; "" when none. */
static char *log_lines(const char *log, const char *prefix)
{
	char *text = tl_read_file(log, NULL);
	struct strbuf sb = STRBUF_INIT;
	size_t pl = strlen(prefix);

	for (const char *p = text; *p; ) {
		const char *nl = strchrnul(p, '\n');

		if (!strncmp(p, prefix, pl))
			strbuf_addf(&sb, "%.*s\n", (int)(nl - p), p);
		p = *nl ? nl + 1 : nl;
	}
	free(text);
	return strbuf_detach(&sb, NULL);
}

/* Whether needle occurs exactly once in hay. */
static bool once(const char *hay, const char *needle)
{
	const char *hit = strstr(hay, needle);

	return hit && !strstr(hit + 1, needle);
}

/*
 * One compiler run per object: make gets mm/vmscan.o alone, with gcc told to
 * save the text it compiled (mm/vmscan.i, the proof's input) beside it; so
 * does kbuild's saved command.  The saved text holds this run's edit.  A
 * saved command without the flags (a build directory of an older version)
 * is not run: make is, and says why.
 */
static void test_one_compiler_run(void **state)
{
	struct fixture f;
	struct check_result res;
	char *stmt = xstrfmt("\tBUILD_BUG_ON(0 * %ld%d);\n", (long)time(NULL), (int)getpid());
	char *marker = xstrfmt("0 * %ld%d", (long)time(NULL), (int)getpid());
	char *cmdfile, *cmdtext, *stripped, *lines, *ipath, *itext;
	const char *script;

	(void)state;
	fixture_open(&f, "v6.12.117");
	fixture_fix(&f);
	no_shortcut = true;
	run(&f, "x86_64", NULL, NULL, &res);
	no_shortcut = false;
	assert_int_equal(res.outcome, CHECK_OK);
	assert_false(res.saved_command);
	lines = log_lines(res.log_path, "### make ");
	assert_contains(lines, "'KCFLAGS=-save-temps=obj -fdirectives-only'");
	assert_contains(lines, " -k mm/vmscan.o\n");
	assert_null(strstr(lines, "vmscan.i"));
	free(lines);
	ipath = xstrfmt("%s/mm/vmscan.i", res.build_dir);
	assert_true(mtime_of(ipath) > 0);
	free(ipath);
	/* the build's time, by which a parallel run starts the longest first */
	ipath = xstrfmt("%s/.backport-mglru-seconds", res.build_dir);
	itext = tl_read_file(ipath, NULL);
	assert_true(strtod(itext, NULL) > 0);
	free(itext);
	free(ipath);
	cmdfile = xstrfmt("%s/mm/.vmscan.o.cmd", res.build_dir);
	check_result_release(&res);

	/* the saved command: one compile, whose saved text has the edit */
	fixture_add_after_pin(&f, stmt, marker);
	run(&f, "x86_64", NULL, NULL, &res);
	assert_int_equal(res.outcome, CHECK_OK);
	assert_true(res.saved_command);
	/* the script (several lines) and what it printed */
	lines = tl_read_file(res.log_path, NULL);
	script = strstr(lines, "### /bin/sh -c ");
	assert_non_null(script);
	assert_true(once(script, " -c -o "));
	assert_true(once(script, " -save-temps=obj -fdirectives-only "));
	assert_null(strstr(script, "vmscan.i"));
	free(lines);
	ipath = xstrfmt("%s/.backport-mglru-direct/mm/vmscan.i", res.build_dir);
	itext = tl_read_file(ipath, NULL);
	assert_contains(itext, marker);
	free(itext);
	free(ipath);
	check_result_release(&res);

	/* kbuild's record without the flags: make, not the saved command */
	cmdtext = tl_read_file(cmdfile, NULL);
	stripped = replace(cmdtext, " -save-temps=obj -fdirectives-only", "");
	tl_write_file(cmdfile, stripped);
	run(&f, "x86_64", NULL, NULL, &res);
	assert_int_equal(res.outcome, CHECK_OK);
	assert_false(res.saved_command);
	lines = tl_read_file(res.log_path, NULL);
	assert_contains(lines, "### make: the saved command of 'mm/vmscan.o' has no "
			       "'-save-temps=obj'");
	free(lines);
	check_result_release(&res);
	free(cmdtext);
	free(stripped);
	free(cmdfile);
	free(stmt);
	free(marker);
	fixture_close(&f);
}

/*
 * An error in the unpatched tree too (here: KCFLAGS force-include a
 * declaration that mm/vmscan.c contradicts, as a compiler newer than the
 * branch can break it): the report says so, from a baseline built with the same flags, not
 * from the baseline of the usual flags cached by the other tests.
 */
static void test_error_in_baseline_too(void **state)
{
	struct fixture f;
	struct check_result res;
	char *dir = tl_tmpdir(), *hdr = xstrfmt("%s/break-vmscan.h", dir);
	char *flags = xstrfmt("-include %s", hdr);
	const char *old = getenv("KCFLAGS");
	char *saved = old ? xstrdup(old) : NULL;

	(void)state;
	/* harmless elsewhere; mm/vmscan.c defines init_lru_gen() */
	tl_write_file(hdr, "extern int init_lru_gen;\n");
	fixture_open(&f, "v6.1.192");
	fixture_fix(&f);
	setenv("KCFLAGS", flags, 1);
	run(&f, "x86_64", NULL, NULL, &res);
	if (saved)
		setenv("KCFLAGS", saved, 1);
	else
		unsetenv("KCFLAGS");
	assert_int_equal(res.outcome, CHECK_ERROR);
	assert_contains(res.summary, "init_lru_gen");
	assert_non_null(res.detail);
	assert_contains(res.detail, "the unpatched tree fails too: ");
	assert_contains(res.detail, "init_lru_gen");
	check_result_release(&res);
	/*
	 * The usual flags again and a patch error: the baseline compared is
	 * one of these flags, which builds, not the broken one just cached.
	 */
	fixture_add_after_pin(&f, "\tbackport_mglru_undeclared++;\n",
			      "backport_mglru_undeclared");
	run(&f, "x86_64", NULL, NULL, &res);
	assert_int_equal(res.outcome, CHECK_ERROR);
	assert_contains(res.summary, "backport_mglru_undeclared");
	assert_null(res.detail);
	check_result_release(&res);
	fixture_close(&f);
	tl_rmtree(dir);
	free(saved);
	free(flags);
	free(hdr);
	free(dir);
}

/*
 * A patch that adds a warning, on arm64 (its defconfig has no WERROR): the
 * baseline is built, the warning is new against it; on the next run the
 * baseline's cached diagnostics serve, and the warning is still new.
 */
static void test_new_warning_against_baseline(void **state)
{
	struct fixture f;
	struct check_result res;
	size_t line;
	char *base;

	(void)state;
	if (!build_have_compiler("arm64"))
		skip();
	fixture_open(&f, "v6.12.117");
	fixture_fix(&f);
	line = fixture_add_after_pin(&f, "\t{ int backport_mglru_unused; }\n",
				     "backport_mglru_unused");
	/* an earlier run of this test left the baseline's diagnostics cached */
	base = xstrfmt("%s-arm64-defconfig-", f.branch.commit);
	drop_baselines(base);
	free(base);
	for (int round = 0; round < 2; round++) {
		run(&f, "arm64", NULL, NULL, &res);
		assert_int_equal(res.outcome, CHECK_NEW_WARNINGS);
		assert_string_equal(res.summary, "new warnings (1)");
		assert_int_equal(res.new_warnings.nr, 1);
		assert_string_equal(res.new_warnings.items[0].file, "mm/vmscan.c");
		assert_int_equal(res.new_warnings.items[0].line, line);
		assert_contains(res.new_warnings.items[0].message,
				"unused variable 'backport_mglru_unused'");
		/* built on the first run only: then its diagnostics are cached */
		if (round == 0)
			assert_true(res.baseline_built);
		else
			assert_false(res.baseline_built);
		check_result_release(&res);
	}
	fixture_close(&f);
}

/* LRU_GEN off by a fragment: nothing of the fix is built. */
static void test_not_compiled_config(void **state)
{
	struct fixture f;
	struct check_result res;
	char *dir = tl_tmpdir(), *frag = xstrfmt("%s/no-lru-gen.config", dir);

	(void)state;
	tl_write_file(frag, "# CONFIG_LRU_GEN is not set\n");
	fixture_open(&f, "v6.12.117");
	fixture_fix(&f);
	run(&f, "x86_64", frag, NULL, &res);
	assert_int_equal(res.outcome, CHECK_NOT_COMPILED);
	assert_string_equal(res.summary, "patched code not compiled under this config");
	assert_contains(res.detail, "CONFIG_LRU_GEN");
	check_result_release(&res);
	fixture_close(&f);
	tl_rmtree(dir);
	free(frag);
	free(dir);
}

/*
 * The pin under an #ifdef no config sets: the config is right but the
 * preprocessed should_skip_mm() lacks mmgrab(mm).
 */
static void test_not_compiled_ifdef(void **state)
{
	struct fixture f;
	struct check_result res;
	char *p;

	(void)state;
	fixture_open(&f, "v6.1.192");
	fixture_fix(&f);
	p = replace(f.patched, "\tmmgrab(mm);\n",
		    "#ifdef CONFIG_BACKPORT_MGLRU_NEVER\n\tmmgrab(mm);\n#endif\n");
	free(f.patched);
	f.patched = p;
	f.file.data = p;
	f.file.len = strlen(p);
	run(&f, "x86_64", NULL, NULL, &res);
	assert_int_equal(res.outcome, CHECK_NOT_COMPILED);
	assert_contains(res.detail, "should_skip_mm");
	check_result_release(&res);
	fixture_close(&f);
}

/*
 * SIGINT in the middle of a cold build (a forked child runs the check): the
 * child reports "interrupted", and the next run completes.
 */
static void test_sigint_then_complete(void **state)
{
	struct fixture f;
	struct check_result res;
	char *frag_dir = tl_tmpdir(), *frag = xstrfmt("%s/sigint.config", frag_dir);
	char *dir, *progress;
	pid_t pid;
	int st;

	(void)state;
	/* a build directory of its own, so the build is cold */
	tl_write_file(frag, "CONFIG_LRU_GEN=y\n");
	fixture_open(&f, "v6.1.192");
	fixture_fix(&f);
	/* cold every time: remove this config's build directory */
	dir = xstrfmt("%s/build", cache);
	{
		DIR *d = opendir(dir);
		struct dirent *e;

		while (d && (e = readdir(d))) {
			if (!strncmp(e->d_name, "6.1.y-x86_64-sigint.config-", 27)) {
				char *full = xstrfmt("%s/%s", dir, e->d_name);

				tl_rmtree(full);
				free(full);
			}
		}
		if (d)
			closedir(d);
	}
	progress = xstrfmt("%s/progress.log", frag_dir);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		int fd = open(progress, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || dup2(fd, 2) < 0)
			_exit(2);
		run(&f, "x86_64", frag, NULL, &res);
		_exit(res.outcome == CHECK_INTERRUPTED ? 42 : 1);
	}
	/*
	 * Interrupt inside make, not at a fixed time: wait for the check to
	 * say it is building (a cold build directory takes 10 s and more to
	 * prepare and compile), then 3 s more.
	 */
	for (int i = 0; i < 1200; i++) {
		char *text = tl_read_file(progress, NULL);
		bool building = text && strstr(text, ": build (");

		free(text);
		if (building)
			break;
		usleep(100 * 1000);
	}
	sleep(3);
	kill(pid, SIGINT);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 42);

	run(&f, "x86_64", frag, NULL, &res);
	if (res.outcome != CHECK_OK)
		fail_msg("after SIGINT: %s (%s)", res.summary, res.detail ? res.detail : "-");
	check_result_release(&res);
	fixture_close(&f);
	tl_rmtree(frag_dir);
	free(progress);
	free(frag);
	free(frag_dir);
	free(dir);
}

static int free_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0), port;

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	port = ntohs(a.sin_port);
	close(fd);
	return port;
}

/* distcc to a distccd on 127.0.0.1: the compile of mm/vmscan.c ran there. */
static void test_distcc_loopback(void **state)
{
	struct fixture f;
	struct check_result res;
	char *dir = tl_tmpdir(), *log = xstrfmt("%s/distccd.log", dir);
	char port[16], hosts[64];
	size_t len;
	char *text;
	pid_t pid;
	int st;

	(void)state;
	if (!build_find_program("distccd") || !build_find_program("distcc"))
		skip();
	/* distccd drops root privileges: its log must be writable by its user */
	assert_int_equal(chmod(dir, 0777), 0);
	tl_write_file(log, "");
	assert_int_equal(chmod(log, 0666), 0);
	snprintf(port, sizeof(port), "%d", free_port());
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		execlp("distccd", "distccd", "--daemon", "--no-detach", "--listen",
		       "127.0.0.1", "--allow", "127.0.0.1", "--port", port,
		       "--log-file", log, "--verbose", (char *)NULL);
		_exit(127);
	}
	sleep(1);
	snprintf(hosts, sizeof(hosts), "127.0.0.1:%s/2", port);
	setenv("DISTCC_HOSTS", hosts, 1);
	setenv("DISTCC_SKIP_LOCAL_RETRY", "1", 1);
	setenv("DISTCC_FALLBACK", "0", 1);
	setenv("DISTCC_DIR", dir, 1);

	/* a patch edit, so that vmscan.o is compiled again, through distcc */
	fixture_open(&f, "v6.12.117");
	fixture_fix(&f);
	{
		/* unique per run, so that a rerun compiles too */
		char *edit = xstrfmt("\t/* via distcc %ld.%d */\n\tmmgrab(mm);\n\treturn mm;\n",
				     (long)time(NULL), (int)getpid());
		char *p = replace(f.patched, "\tmmgrab(mm);\n\treturn mm;\n", edit);

		free(edit);

		free(f.patched);
		f.patched = p;
		f.file.data = p;
		f.file.len = strlen(p);
	}
	run(&f, "x86_64", NULL, "distcc", &res);
	kill(pid, SIGTERM);
	waitpid(pid, &st, 0);
	unsetenv("DISTCC_HOSTS");
	if (res.outcome != CHECK_OK)
		fail_msg("distcc: %s (%s)", res.summary, res.detail ? res.detail : "-");
	text = tl_read_file(log, &len);
	assert_non_null(text);
	assert_contains(text, "vmscan");
	assert_contains(text, "COMPILE_OK");
	free(text);
	check_result_release(&res);
	fixture_close(&f);
	tl_rmtree(dir);
	free(log);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_6_1_x86_64),
		cmocka_unit_test(test_second_run_reuses),
		cmocka_unit_test(test_broken_patch),
		cmocka_unit_test(test_saved_command),
		cmocka_unit_test(test_one_compiler_run),
		cmocka_unit_test(test_error_in_baseline_too),
		cmocka_unit_test(test_new_warning_against_baseline),
		cmocka_unit_test(test_not_compiled_ifdef),
		cmocka_unit_test(test_6_12_x86_64),
		cmocka_unit_test(test_not_compiled_config),
		cmocka_unit_test(test_6_12_arm64),
		cmocka_unit_test(test_sigint_then_complete),
		cmocka_unit_test(test_distcc_loopback),
	};
	const char *env = getenv("BACKPORT_MGLRU_CACHE");
	char cwd[4096];
	int rc;

	if (getenv("REAL_CHECK_FILTER"))	/* e.g. "test_distcc*" */
		cmocka_set_test_filter(getenv("REAL_CHECK_FILTER"));
	if (env && *env)
		cache = xstrdup(env);
	else
		cache = xstrfmt("%s/real-check-cache", getcwd(cwd, sizeof(cwd)));
	if (catalogue_load(&cat, tl_env("SOURCE_DIR"), NULL, "mglru-mmgrab") < 0 ||
	    !catalogue_find(&cat, "mglru-mmgrab")) {
		fprintf(stderr, "catalogue: %s\n", error_last());
		return 1;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	catalogue_release(&cat);
	free(cache);
	return rc;
}
