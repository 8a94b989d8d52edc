#include "sys/semantic-run.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/xalloc.h"
#include "sys/build.h"
#include "sys/fsutil.h"

/* The last non-empty line of the log, for the message. */
static char *last_line(const char *log)
{
	struct strbuf sb = STRBUF_INIT;
	char *nl;

	if (fs_read_file(log, &sb, FS_MAX_OWN) < 0) {
		error_clear();
		strbuf_release(&sb);
		return xstrdup("(no output)");
	}
	strbuf_rtrim(&sb);
	nl = strrchr(sb.buf, '\n');
	{
		char *line = xstrdup(nl ? nl + 1 : sb.len ? sb.buf : "(no output)");

		strbuf_release(&sb);
		return line;
	}
}

int semantic_spatch(const char *cocci, const char *path, const char *text, size_t len,
		    double timeout, struct strbuf *after)
{
	const char *base = getenv("TMPDIR");
	const char *slash = strrchr(path, '/');
	char *dir = xstrfmt("%s/backport-mglru-spatch.XXXXXX", base && *base ? base : "/tmp");
	char *in = NULL, *out = NULL, *log = NULL, *spatch = build_which("spatch");
	enum build_status st;
	int code = 0, ret = -1;

	strbuf_reset(after);
	if (!spatch) {
		error("--semantic needs spatch (Coccinelle): not found on PATH "
		      "(scripts/install-deps.sh installs it)");
		goto out_nodir;
	}
	if (!mkdtemp(dir)) {
		error("cannot create a scratch directory '%s': %s", dir, strerror(errno));
		goto out_nodir;
	}
	in = xstrfmt("%s/%s", dir, slash ? slash + 1 : path);
	out = xstrfmt("%s/out.c", dir);
	log = xstrfmt("%s/spatch.log", dir);
	if (fs_write_atomic(in, text, len) < 0)
		goto out;
	{
		const char *argv[] = { spatch, "--very-quiet", "--no-includes",
				       "--sp-file", cocci, in, "-o", out, NULL };
		int rc;

		/* a signal kills spatch; the scratch directory goes, then so do we */
		build_signals_install();
		rc = build_run(argv, log, timeout, &st, &code);
		if (rc == 0 && st == BUILD_INTERRUPTED) {
			int sig = build_signal();

			fs_remove_tree(dir);
			build_signals_restore();
			signal(sig, SIG_DFL);
			raise(sig);
		}
		build_signals_restore();
		if (rc < 0)
			goto out;
	}
	if (st != BUILD_EXITED || code) {
		char *why = st == BUILD_TIMEOUT ? xstrfmt("timed out after %.0f s", timeout) :
			    st == BUILD_INTERRUPTED ? xstrdup("interrupted") : last_line(log);

		error("spatch --sp-file '%s' on '%s' failed: %s", cocci, path, why);
		free(why);
		goto out;
	}
	/* spatch writes -o only when the semantic patch changed something */
	if (fs_exists(out)) {
		if (fs_read_file(out, after, FS_MAX_OWN) < 0)
			goto out;
	} else {
		strbuf_add(after, text, len);
	}
	ret = 0;
out:
	fs_remove_tree(dir);
out_nodir:
	free(in);
	free(out);
	free(log);
	free(spatch);
	free(dir);
	return ret;
}
