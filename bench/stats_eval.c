/* Reads each report file given (gk_src_read) and prints one JSON line per
 * file: {"file":…,"format":…,"year":…,"result":<gk_stats_to_json>} or
 * {"file":…,"error":…}. The year is the one the file name carries
 * (省_机构_年份_标题.ext), 0 without. Used by bench/stats. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gk_src.h"
#include "gk_stats.h"

static int year_of(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	for (const char *p = base; *p; p++)
		if (p[0] == '_' && p[1] >= '1' && p[1] <= '2' && p[5] == '_') {
			int y = 0;
			int k = 1;
			for (; k <= 4 && p[k] >= '0' && p[k] <= '9'; k++)
				y = y * 10 + (p[k] - '0');
			if (k == 5)
				return y;
		}
	return 0;
}

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		gk_error err;
		gk_error_clear(&err);
		gk_src *src = NULL;
		json_t *o = json_object();
		json_object_set_new(o, "file", json_string(argv[i]));
		gk_stats *st = NULL;
		if (gk_src_read(&src, argv[i], NULL, NULL, &err) == GK_OK) {
			size_t len;
			const char *text = gk_src_text(src, &len);
			const char *fmt =
			    gk_src_format_name(gk_src_format_of(src));
			int year = year_of(argv[i]);
			json_object_set_new(o, "format", json_string(fmt));
			json_object_set_new(o, "year", json_integer(year));
			if (gk_stats_extract(&st, argv[i], text, len, fmt, year,
			                     &err) == GK_OK) {
				char *js = gk_stats_to_json(st);
				json_t *r = js ? json_loads(js, 0, NULL) : NULL;
				json_object_set_new(o, "result",
				                    r ? r : json_null());
				free(js);
			}
		}
		if (err.status != GK_OK) {
			json_object_set_new(o, "error", json_string(err.msg));
			rc = 1;
		}
		char *line = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (line) {
			puts(line);
			free(line);
		}
		json_decref(o);
		gk_stats_free(st);
		gk_src_free(src);
	}
	return rc;
}
