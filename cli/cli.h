/* The gongkai command line: one function per command. Each returns the
 * process exit status (0 success / hits, 1 no hits, 2 error). */
#ifndef GK_CLI_H
#define GK_CLI_H

#define GK_EXIT_OK      0
#define GK_EXIT_NOMATCH 1
#define GK_EXIT_ERROR   2

int gk_cli_index(int argc, char **argv);
int gk_cli_search(int argc, char **argv);
int gk_cli_segment(int argc, char **argv);
int gk_cli_show(int argc, char **argv);
int gk_cli_stats(int argc, char **argv);

/* The database path: --db if given, else $GONGKAI_DB, else ./gongkai.db. */
const char *gk_cli_db_path(const char *opt);

/* Prints "gongkai: " and the message on stderr. */
void gk_cli_error(const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#endif
