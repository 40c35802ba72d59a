/* gongkai.cgi's entry: one request as a CGI program, or many in a loop
 * under a FastCGI server — the same handler either way. */
#include <fcgiapp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cgi.h"

static const char usage[] =
    "Usage: gongkai.cgi\n"
    "\n"
    "The gongkai search page, run by a web server as a CGI program (or as a\n"
    "FastCGI program, detected by itself). It answers GET and HEAD:\n"
    "  ?q=QUERY          search (the query language of `gongkai search`),\n"
    "                    with agency=, region=, section=, type=, from=,\n"
    "                    to= (years), offset=, limit= (at most 100)\n"
    "  ?report=ID[&p=N]  one report, passage N marked\n"
    "  &format=json      the hits as one JSON document\n"
    "\n"
    "The database is $GONGKAI_DB, else the line 'db = PATH' of\n"
    "gongkai.cgi.conf in the program's directory; never a request\n"
    "parameter. Errors go to standard error (the server's error log).\n"
    "See cgi/lighttpd.conf and scripts/serve for a ready set-up.\n";

/* "db = PATH" from the config file beside the program. */
static char *config_db(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 32);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return NULL;
	strcpy(slash + 1, "gongkai.cgi.conf");
	FILE *f = fopen(exe, "r");
	if (!f)
		return NULL;
	char line[4096], *db = NULL;
	while (!db && fgets(line, sizeof line, f)) {
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "db", 2))
			continue;
		p += 2;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p++ != '=')
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		size_t len = strcspn(p, "\r\n");
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len)
			db = strndup(p, len);
	}
	fclose(f);
	return db;
}

static void serve_cgi(gk_cgi_ctx *ctx)
{
	gk_cgi_resp resp;
	gk_cgi_handle(ctx, getenv("REQUEST_METHOD"), getenv("QUERY_STRING"),
	              &resp);
	const char *m = getenv("REQUEST_METHOD");
	gk_buf out = GK_BUF_INIT(80u << 20);
	gk_cgi_resp_serialize(&resp, m && !strcmp(m, "HEAD"), &out);
	if (out.len)
		fwrite(out.data, 1, out.len, stdout);
	fflush(stdout);
	gk_buf_free(&out);
	gk_cgi_resp_clear(&resp);
}

static void serve_fastcgi(gk_cgi_ctx *ctx, const char *env_db)
{
	FCGX_Request req;
	if (FCGX_Init() || FCGX_InitRequest(&req, 0, 0)) {
		fprintf(stderr, "gongkai.cgi: FastCGI set-up failed\n");
		return;
	}
	gk_buf out = GK_BUF_INIT(80u << 20);
	while (FCGX_Accept_r(&req) >= 0) {
		/* The server's configuration may name the database per
		 * request (bin-environment); a client cannot. */
		const char *db = FCGX_GetParam("GONGKAI_DB", req.envp);
		if (!env_db && db && (!ctx->db || strcmp(db, ctx->db))) {
			gk_q_free(ctx->q);
			ctx->q = NULL;
			free((char *)ctx->db);
			ctx->db = strdup(db);
		}
		const char *m = FCGX_GetParam("REQUEST_METHOD", req.envp);
		gk_cgi_resp resp;
		gk_cgi_handle(ctx, m, FCGX_GetParam("QUERY_STRING", req.envp),
		              &resp);
		gk_buf_reset(&out);
		gk_cgi_resp_serialize(&resp, m && !strcmp(m, "HEAD"), &out);
		if (out.len)
			FCGX_PutStr(out.data, (int)out.len, req.out);
		gk_cgi_resp_clear(&resp);
		FCGX_Finish_r(&req);
	}
	gk_buf_free(&out);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		bool help =
		    !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h");
		fputs(usage, help ? stdout : stderr);
		return help ? 0 : 2;
	}
	const char *env_db = getenv("GONGKAI_DB");
	gk_cgi_ctx ctx = { NULL, NULL, 0 };
	ctx.db = env_db && *env_db ? strdup(env_db) : config_db();
	if (FCGX_IsCGI())
		serve_cgi(&ctx);
	else
		serve_fastcgi(&ctx, env_db && *env_db ? env_db : NULL);
	gk_q_free(ctx.q);
	free((char *)ctx.db);
	return 0;
}
