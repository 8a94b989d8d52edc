/*
 * libFuzzer target: the kbuild .cmd reader (mm/.vmscan.o.cmd) and the
 * command rewrite that moves its outputs.  Built by tests/fuzz/run.sh, not
 * by CMake.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/kbuild-cmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kbuild_cmd c = KBUILD_CMD_INIT;

	/* the first byte picks the target, so both spellings get reached */
	const char *target = size && data[0] & 1 ? "vmscan.o" : "mm/vmscan.o";

	if (kbuild_cmd_parse(&c, target, (const char *)data, size) == 0) {
		char *cmd = kbuild_cmd_redirect(&c, "/out dir/mm/vmscan.o",
						"/out dir/mm/.vmscan.o.d");
		char *q = kbuild_shell_quote(c.command);

		if (!c.command || !c.source)
			__builtin_trap();	/* parse said yes without them */
		free(cmd);
		free(q);
	}
	kbuild_cmd_release(&c);
	return 0;
}
