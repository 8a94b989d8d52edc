#define _GNU_SOURCE	/* sched_getcpu, CPU_*, pthread affinity */
#include "sys/workers.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/error.h"
#include "core/xalloc.h"

struct worker {
	void (*fn)(void *ctx, size_t k);
	void *ctx;
	size_t k;
	const cpu_set_t *allowed;
	pthread_t thread;
};

size_t workers_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set) || CPU_COUNT(&set) < 1)
		return 1;
	return (size_t)CPU_COUNT(&set);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	/* started away from the caller's CPU (see workers_run); now free to move */
	if (w->allowed)
		pthread_setaffinity_np(pthread_self(), sizeof(*w->allowed), w->allowed);
	w->fn(w->ctx, w->k);
	error_clear();	/* the thread's message buffer dies with it */
	return NULL;
}

void workers_run(size_t n, void (*fn)(void *ctx, size_t k), void *ctx)
{
	struct worker *w;
	cpu_set_t allowed, others;
	pthread_attr_t attr;
	bool have_mask;
	size_t started = 0;
	int cur;

	if (n <= 1) {
		fn(ctx, 0);
		return;
	}
	w = xcalloc(n, sizeof(*w));
	have_mask = !sched_getaffinity(0, sizeof(allowed), &allowed);
	pthread_attr_init(&attr);
	/*
	 * Left to itself the scheduler often queues a new thread behind its
	 * creator, on the creator's CPU, for milliseconds while another CPU
	 * idles: start each on one of the others.
	 */
	if (have_mask) {
		others = allowed;
		cur = sched_getcpu();
		if (cur >= 0)
			CPU_CLR(cur, &others);
		if (CPU_COUNT(&others))
			pthread_attr_setaffinity_np(&attr, sizeof(others), &others);
	}
	for (size_t k = 1; k < n; k++) {
		w[k] = (struct worker){ fn, ctx, k, have_mask ? &allowed : NULL, 0 };
		if (pthread_create(&w[k].thread, &attr, worker_main, &w[k]))
			break;	/* fewer threads: the others take the work */
		started = k;
	}
	pthread_attr_destroy(&attr);
	fn(ctx, 0);
	for (size_t k = 1; k <= started; k++)
		pthread_join(w[k].thread, NULL);
	free(w);
}
