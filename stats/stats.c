/* The gk_stats handle: values in canonical order, failed checks, and the
 * public entry point. */
#include <stdlib.h>
#include <string.h>

#include "stats_int.h"

static char *dup_n(const char *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		if (n)
			memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

gk_stats *st_new(void)
{
	return calloc(1, sizeof(gk_stats));
}

static long key_order(gk_stats *s, const char *key)
{
	long i = gk_stats_key_index(key, strlen(key));
	return i >= 0 ? i : (long)gk_stats__nkeys + s->seq++;
}

void st_put(gk_stats *s, const char *key, double v, int uncertain,
            unsigned line, unsigned page, const char *raw, size_t rawlen,
            const char *layout)
{
	if (s->nomem || gk_stats_get(s, key))
		return;
	if (s->nvals == s->capvals) {
		size_t cap = s->capvals ? s->capvals * 2 : 64;
		gk_stats_value *nv = realloc(s->vals, cap * sizeof *nv);
		if (!nv) {
			s->nomem = true;
			return;
		}
		s->vals = nv;
		long *no = realloc(s->order, cap * sizeof *no);
		if (!no) {
			s->nomem = true;
			return;
		}
		s->order = no;
		s->capvals = cap;
	}
	gk_stats_value *x = &s->vals[s->nvals];
	memset(x, 0, sizeof *x);
	char *k = dup_n(key, strlen(key));
	char *r = dup_n(raw ? raw : "", raw ? rawlen : 0);
	char *l =
	    dup_n(layout ? layout : "text", strlen(layout ? layout : "text"));
	if (!k || !r || !l) {
		free(k);
		free(r);
		free(l);
		s->nomem = true;
		return;
	}
	x->key = k;
	x->value = v;
	x->uncertain = uncertain ? 1 : 0;
	x->line = line;
	x->page = page;
	x->raw = r;
	x->layout = l;
	s->order[s->nvals] = key_order(s, key);
	s->nvals++;
}

void st_add_check(gk_stats *s, const char *rule, const char *detail, size_t n,
                  const char *const *cells, const double *values)
{
	if (s->nomem)
		return;
	if (s->nchecks == s->capchecks) {
		size_t cap = s->capchecks ? s->capchecks * 2 : 8;
		gk_stats_check *nc = realloc(s->checks, cap * sizeof *nc);
		if (!nc) {
			s->nomem = true;
			return;
		}
		s->checks = nc;
		s->capchecks = cap;
	}
	gk_stats_check *c = &s->checks[s->nchecks];
	memset(c, 0, sizeof *c);
	char *ru = dup_n(rule, strlen(rule));
	char *de = dup_n(detail, strlen(detail));
	char **cs = calloc(n ? n : 1, sizeof *cs);
	double *vs = malloc((n ? n : 1) * sizeof *vs);
	bool ok = ru && de && cs && vs;
	for (size_t i = 0; ok && i < n; i++) {
		cs[i] = dup_n(cells[i], strlen(cells[i]));
		ok = cs[i] != NULL;
		vs[i] = values[i];
	}
	if (!ok) {
		free(ru);
		free(de);
		for (size_t i = 0; cs && i < n; i++)
			free(cs[i]);
		free(cs);
		free(vs);
		s->nomem = true;
		return;
	}
	c->rule = ru;
	c->detail = de;
	c->ncells = n;
	c->cells = (const char *const *)cs;
	c->values = vs;
	s->nchecks++;
}

void st_finish(gk_stats *s)
{
	/* Insertion sort by order: a few hundred values at most. */
	for (size_t i = 1; i < s->nvals; i++) {
		gk_stats_value v = s->vals[i];
		long o = s->order[i];
		size_t j = i;
		while (j > 0 && s->order[j - 1] > o) {
			s->vals[j] = s->vals[j - 1];
			s->order[j] = s->order[j - 1];
			j--;
		}
		s->vals[j] = v;
		s->order[j] = o;
	}
}

void gk_stats_free(gk_stats *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nvals; i++) {
		free((char *)s->vals[i].key);
		free((char *)s->vals[i].raw);
		free((char *)s->vals[i].layout);
	}
	for (size_t i = 0; i < s->nchecks; i++) {
		gk_stats_check *c = &s->checks[i];
		free((char *)c->rule);
		free((char *)c->detail);
		for (size_t k = 0; k < c->ncells; k++)
			free((char *)c->cells[k]);
		free((void *)c->cells);
		free((void *)c->values);
	}
	free(s->vals);
	free(s->order);
	free(s->checks);
	free(s);
}

size_t gk_stats_count(const gk_stats *s)
{
	return s ? s->nvals : 0;
}

const gk_stats_value *gk_stats_at(const gk_stats *s, size_t i)
{
	return s && i < s->nvals ? &s->vals[i] : NULL;
}

const gk_stats_value *gk_stats_get(const gk_stats *s, const char *key)
{
	if (!s || !key)
		return NULL;
	for (size_t i = 0; i < s->nvals; i++)
		if (strcmp(s->vals[i].key, key) == 0)
			return &s->vals[i];
	return NULL;
}

size_t gk_stats_check_count(const gk_stats *s)
{
	return s ? s->nchecks : 0;
}

const gk_stats_check *gk_stats_check_at(const gk_stats *s, size_t i)
{
	return s && i < s->nchecks ? &s->checks[i] : NULL;
}

gk_status gk_stats_extract(gk_stats **out, const char *name, const char *text,
                           size_t len, const char *format, int year,
                           gk_error *err)
{
	*out = NULL;
	if (!name)
		name = "report";
	if (!text && len)
		return gk_error_set(err, GK_EINVAL, "%s: no text", name);
	gk_stats *s = st_new();
	if (!s)
		return gk_error_set(err, GK_ENOMEM, "%s: out of memory", name);
	st_grid g = { NULL, 0, 0 };
	bool ok = !len || st_grid_read(&g, text, len, format);
	if (ok && g.n)
		ok = st_tables(s, &g, text, len, year);
	st_grid_free(&g);
	if (ok && !s->nomem) {
		st_finish(s);
		st_check(s);
	}
	if (!ok || s->nomem) {
		gk_stats_free(s);
		return gk_error_set(err, GK_ENOMEM,
		                    "%s: out of memory reading the tables",
		                    name);
	}
	*out = s;
	return GK_OK;
}
