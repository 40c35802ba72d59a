/* The time budget of a format reader: shared by gk_src and the PDF
 * module, which is built apart. */
#include <time.h>

#include "source.h"

double gk_src__now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

bool gk_src__over_time(const gk_src__job *job)
{
	return job->max_seconds > 0 &&
	       gk_src__now() - job->started > job->max_seconds;
}

gk_status gk_src__time_error(const gk_src__job *job, gk_error *err)
{
	return gk_error_set(err, GK_EFORMAT,
	                    "%s: took longer than %g s to read (limit)",
	                    job->name, job->max_seconds);
}
