/*
 * Running one function on several threads at once: the calling thread and
 * up to one more per CPU the process may use.  The work is shared out by
 * the function itself (an atomic counter over the items), so a thread that
 * could not be started only means the others take more.
 */
#ifndef BM_WORKERS_H
#define BM_WORKERS_H

#include <stddef.h>

/* How many CPUs this process may run on (at least 1). */
size_t workers_cpus(void);

/*
 * Calls fn(ctx, k) for k = 0 .. n-1, k = 0 on the calling thread and the
 * others each on a thread of its own, started on a CPU other than the
 * caller's; returns once all have returned.  A thread has its own error()
 * message: fn keeps what it needs of it in ctx.
 */
void workers_run(size_t n, void (*fn)(void *ctx, size_t k), void *ctx);

#endif
