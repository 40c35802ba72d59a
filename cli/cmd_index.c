#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "gk_idx.h"

static const char usage[] =
    "Usage: gongkai index [--db DIR] [--lexicon FILE]... [--max-file-mb N]\n"
    "                     [--max-seconds N] [--quiet] PATH...\n"
    "\n"
    "Indexes report files and directories, whose report files are indexed\n"
    "recursively: text and Markdown (UTF-8, GBK/GB18030 or UTF-16), HTML\n"
    "pages and PDF (text layer). A file indexed again replaces its earlier\n"
    "passages. Files that cannot be read are reported, one line each, and\n"
    "skipped; the others are still indexed.\n"
    "\n"
    "Options:\n"
    "  --db DIR          database (default $GONGKAI_DB, else ./gongkai.db)\n"
    "  --lexicon FILE    add your own words, one a line, optionally\n"
    "                    followed by a frequency; '#' starts a comment\n"
    "                    (repeatable). The database keeps them: later runs\n"
    "                    and searches use them too. Index files again to\n"
    "                    cut them with new words.\n"
    "  --max-file-mb N   refuse files larger than N MiB (default 64)\n"
    "  --max-seconds N   give up on a file after N seconds (default 60)\n"
    "  -q, --quiet       print only errors\n"
    "  -h, --help        show this help\n"
    "\n"
    "Exit status: 0 all files indexed, 2 if any file or the database\n"
    "failed, 130 when interrupted (files finished before are kept).\n";

/* Set from the signal handler, polled between files. */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	(void)sig;
	interrupted = 1;
}

typedef struct progress {
	int quiet;
	int tty;
	size_t files;
} progress;

static void on_error(const char *path, const gk_error *err, void *payload)
{
	progress *p = payload;
	(void)path;
	if (p->tty && !p->quiet)
		fputs("\r\033[K", stderr);
	gk_cli_error("%s", err->msg);
}

static void on_skip(const char *path, const char *reason, void *payload)
{
	progress *p = payload;
	if (p->quiet)
		return;
	if (p->tty)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "gongkai: skipped %s: %s\n", path, reason);
}

static void on_file(const char *path, size_t npassages, void *payload)
{
	progress *p = payload;
	p->files++;
	if (p->quiet || !p->tty)
		return;
	fprintf(stderr, "\r\033[K[%zu] %s (%zu passages)", p->files, path,
	        npassages);
	fflush(stderr);
}

static int should_stop(void *payload)
{
	(void)payload;
	return interrupted;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int gk_cli_index(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "lexicon", required_argument, NULL, 'l' },
		{ "max-file-mb", required_argument, NULL, 'M' },
		{ "max-seconds", required_argument, NULL, 'T' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *db = NULL;
	gk_src_limits limits = GK_SRC_LIMITS_DEFAULT;
	const char *lexicons[64];
	size_t nlex = 0;
	progress prog = { 0, isatty(STDERR_FILENO), 0 };
	int c;
	optind = 1;
	while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'l':
			if (nlex == sizeof lexicons / sizeof lexicons[0]) {
				gk_cli_error("index: too many --lexicon files");
				return GK_EXIT_ERROR;
			}
			lexicons[nlex++] = optarg;
			break;
		case 'q': prog.quiet = 1; break;
		case 'M':
		case 'T': {
			char *end;
			double v = strtod(optarg, &end);
			if (*end || end == optarg || !(v > 0) || v > 1e6) {
				gk_cli_error("index: --%s needs a positive "
				             "number, not '%s'",
				             c == 'M' ? "max-file-mb"
				                      : "max-seconds",
				             optarg);
				return GK_EXIT_ERROR;
			}
			if (c == 'M')
				limits.max_bytes = (size_t)(v * 1048576.0);
			else
				limits.max_seconds = v;
			break;
		}
		case 'h': fputs(usage, stdout); return GK_EXIT_OK;
		default: fputs(usage, stderr); return GK_EXIT_ERROR;
		}
	}
	if (optind >= argc && !nlex) {
		gk_cli_error("index: no files or directories given");
		fputs(usage, stderr);
		return GK_EXIT_ERROR;
	}
	db = gk_cli_db_path(db);

	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	gk_idx_events ev = { on_error, on_skip, on_file, should_stop, &prog };
	gk_error err;
	gk_error_clear(&err);
	gk_idx *ix = NULL;
	double t0 = now();
	gk_status st = gk_idx_open(&ix, db, &ev, &err);
	if (!st)
		gk_idx_set_limits(ix, &limits);
	for (size_t i = 0; i < nlex && !st; i++)
		st = gk_idx_add_lexicon(ix, lexicons[i], &err);
	for (int i = optind; i < argc && !st; i++)
		st = gk_idx_add_path(ix, argv[i], &err);
	/* Whole files indexed before an interruption are kept. */
	gk_error cerr;
	gk_error_clear(&cerr);
	gk_status cst = ix ? gk_idx_commit(ix, &cerr) : GK_OK;
	gk_idx_stats stats = { 0, 0, 0, 0 };
	if (ix)
		gk_idx_get_stats(ix, &stats);
	gk_idx_free(ix);
	if (prog.tty && !prog.quiet)
		fputs("\r\033[K", stderr);
	if (st && st != GK_ECANCELLED)
		gk_cli_error("%s", err.msg);
	if (cst)
		gk_cli_error("%s", cerr.msg);
	if (!prog.quiet || stats.failed)
		fprintf(stderr,
		        "gongkai: %s%zu file%s indexed (%zu passages) into %s "
		        "in %.1f s; %zu failed, %zu skipped\n",
		        st == GK_ECANCELLED ? "interrupted: " : "", stats.files,
		        stats.files == 1 ? "" : "s", stats.passages, db,
		        now() - t0, stats.failed, stats.skipped);
	if (st == GK_ECANCELLED)
		return 130;
	return st || cst || stats.failed ? GK_EXIT_ERROR : GK_EXIT_OK;
}
