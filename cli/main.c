#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "Usage: gongkai COMMAND [OPTIONS] [ARGS]\n"
    "\n"
    "Full-text search for Chinese government information-disclosure\n"
    "annual reports (政府信息公开工作年度报告).\n"
    "\n"
    "Commands:\n"
    "  index    add report files and directories to the database\n"
    "  search   find passages of the indexed reports\n"
    "  stats    the numbers of the reports' statistics tables\n"
    "  show     show what gongkai makes of a report file\n"
    "  segment  show how text is cut into words\n"
    "\n"
    "Run 'gongkai COMMAND --help' for a command's options.\n"
    "The database is --db DIR, else $GONGKAI_DB, else ./gongkai.db.\n";

void gk_cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("gongkai: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

const char *gk_cli_db_path(const char *opt)
{
	if (opt && *opt)
		return opt;
	const char *env = getenv("GONGKAI_DB");
	if (env && *env)
		return env;
	return "gongkai.db";
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs(usage, stderr);
		return GK_EXIT_ERROR;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") ||
	    !strcmp(cmd, "help")) {
		fputs(usage, stdout);
		return GK_EXIT_OK;
	}
	if (!strcmp(cmd, "--version")) {
		puts("gongkai " GK_VERSION);
		return GK_EXIT_OK;
	}
	if (!strcmp(cmd, "index"))
		return gk_cli_index(argc - 1, argv + 1);
	if (!strcmp(cmd, "search"))
		return gk_cli_search(argc - 1, argv + 1);
	if (!strcmp(cmd, "stats"))
		return gk_cli_stats(argc - 1, argv + 1);
	if (!strcmp(cmd, "segment"))
		return gk_cli_segment(argc - 1, argv + 1);
	if (!strcmp(cmd, "show"))
		return gk_cli_show(argc - 1, argv + 1);
	gk_cli_error("unknown command '%s' (try 'gongkai --help')", cmd);
	return GK_EXIT_ERROR;
}
