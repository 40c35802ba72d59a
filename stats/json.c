/* gk_stats as JSON, and back: the form stored in the search database. */
#include <jansson.h>
#include <string.h>

#include "stats_int.h"

char *gk_stats_to_json(const gk_stats *s)
{
	json_t *root = json_object();
	json_t *stats = json_object();
	json_t *unc = json_array();
	json_t *checks = json_array();
	json_t *prov = json_object();
	if (!root || !stats || !unc || !checks || !prov)
		goto fail;
	json_object_set_new(root, "stats", stats);
	json_object_set_new(root, "uncertain", unc);
	json_object_set_new(root, "checks", checks);
	json_object_set_new(root, "provenance", prov);
	for (size_t i = 0; s && i < s->nvals; i++) {
		const gk_stats_value *v = &s->vals[i];
		if (json_object_set_new(stats, v->key, json_real(v->value)))
			goto fail_root;
		if (v->uncertain)
			json_array_append_new(unc, json_string(v->key));
		json_t *p = json_pack(
		    "{s:I,s:o,s:s,s:s}", "line", (json_int_t)v->line, "page",
		    v->page ? json_integer(v->page) : json_null(), "raw",
		    v->raw, "layout", v->layout);
		if (!p || json_object_set_new(prov, v->key, p))
			goto fail_root;
	}
	for (size_t i = 0; s && i < s->nchecks; i++) {
		const gk_stats_check *c = &s->checks[i];
		json_t *cells = json_array(), *vals = json_array();
		for (size_t k = 0; cells && vals && k < c->ncells; k++) {
			json_array_append_new(cells, json_string(c->cells[k]));
			json_array_append_new(vals, json_real(c->values[k]));
		}
		json_t *o =
		    json_pack("{s:s,s:o,s:o,s:s}", "rule", c->rule, "cells",
		              cells, "values", vals, "detail", c->detail);
		if (!o || json_array_append_new(checks, o))
			goto fail_root;
	}
	char *out = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(root);
	return out;
fail:
	json_decref(stats);
	json_decref(unc);
	json_decref(checks);
	json_decref(prov);
fail_root:
	json_decref(root);
	return NULL;
}

static bool in_array(json_t *a, const char *key)
{
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x)
	{
		if (json_is_string(x) && strcmp(json_string_value(x), key) == 0)
			return true;
	}
	return false;
}

gk_status gk_stats_from_json(gk_stats **out, const char *json, size_t len,
                             gk_error *err)
{
	*out = NULL;
	if (!json)
		return gk_error_set(err, GK_EINVAL, "statistics: no JSON");
	json_error_t je;
	json_t *root = json_loadb(json, len, 0, &je);
	if (!root || !json_is_object(root)) {
		json_decref(root);
		return gk_error_set(err, GK_ECORRUPT,
		                    "statistics: not a JSON object (%s)",
		                    root ? "other value" : je.text);
	}
	json_t *stats = json_object_get(root, "stats");
	json_t *unc = json_object_get(root, "uncertain");
	json_t *checks = json_object_get(root, "checks");
	json_t *prov = json_object_get(root, "provenance");
	if (!json_is_object(stats)) {
		json_decref(root);
		return gk_error_set(err, GK_ECORRUPT,
		                    "statistics: no \"stats\" object");
	}
	gk_stats *s = st_new();
	if (!s) {
		json_decref(root);
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	}
	const char *key;
	json_t *v;
	json_object_foreach(stats, key, v)
	{
		if (!json_is_number(v))
			continue;
		json_t *p =
		    json_is_object(prov) ? json_object_get(prov, key) : NULL;
		json_t *line = p ? json_object_get(p, "line") : NULL;
		json_t *page = p ? json_object_get(p, "page") : NULL;
		json_t *raw = p ? json_object_get(p, "raw") : NULL;
		json_t *lay = p ? json_object_get(p, "layout") : NULL;
		const char *rs =
		    json_is_string(raw) ? json_string_value(raw) : "";
		json_int_t ln =
		    json_is_integer(line) ? json_integer_value(line) : 0;
		json_int_t pg =
		    json_is_integer(page) ? json_integer_value(page) : 0;
		st_put(s, key, json_number_value(v),
		       json_is_array(unc) && in_array(unc, key),
		       ln > 0 && ln < 0x7fffffff ? (unsigned)ln : 0,
		       pg > 0 && pg < 0x7fffffff ? (unsigned)pg : 0, rs,
		       strlen(rs),
		       json_is_string(lay) ? json_string_value(lay) : "text");
	}
	size_t i;
	json_t *c;
	if (json_is_array(checks))
		json_array_foreach(checks, i, c)
		{
			json_t *cells = json_object_get(c, "cells");
			json_t *vals = json_object_get(c, "values");
			json_t *rule = json_object_get(c, "rule");
			json_t *detail = json_object_get(c, "detail");
			if (!json_is_string(rule) || !json_is_array(cells) ||
			    !json_is_array(vals))
				continue;
			size_t n = json_array_size(cells);
			if (n != json_array_size(vals) || n > 64)
				continue;
			const char *cs[64];
			double vs[64];
			bool ok = true;
			for (size_t k = 0; k < n; k++) {
				json_t *a = json_array_get(cells, k);
				json_t *b = json_array_get(vals, k);
				ok = ok && json_is_string(a) &&
				     json_is_number(b);
				cs[k] = ok ? json_string_value(a) : "";
				vs[k] = ok ? json_number_value(b) : 0;
			}
			if (ok)
				st_add_check(s, json_string_value(rule),
				             json_is_string(detail)
				                 ? json_string_value(detail)
				                 : "",
				             n, cs, vs);
		}
	json_decref(root);
	if (s->nomem) {
		gk_stats_free(s);
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	}
	st_finish(s);
	*out = s;
	return GK_OK;
}
