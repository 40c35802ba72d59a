/* Splitting run-together digits ("640020470") into the cells of a table
 * row. Every way to cut the digits into the row's number of cells is
 * tried, depth first, with the row's arithmetic (through the accept
 * callback) pruning as early as it can; a node budget bounds the time
 * whatever the input. */
#include <stdlib.h>
#include <string.h>

#include "stats_int.h"

/* Longest number a cell holds (digits). */
#define MAX_DIGITS 9
/* Longest run of digits split at all. */
#define MAX_CHARS 160
/* Search nodes per row. */
#define BUDGET 400000
/* Solutions counted at most. */
#define MAX_COUNT 1000

typedef struct search {
	char d[MAX_CHARS];
	bool bound[MAX_CHARS + 1]; /* a cell must end before position i */
	size_t len, ncells;
	st_accept_fn acc;
	void *ctx;
	double v[ST_MAXCELLS];
	double *cands;
	size_t maxkeep, found;
	long nodes;
	bool complete;
} search;

static void dfs(search *s, size_t pos, size_t k)
{
	if (s->found >= MAX_COUNT || !s->complete)
		return;
	if (++s->nodes > BUDGET) {
		s->complete = false;
		return;
	}
	if (k == s->ncells) {
		if (pos == s->len && (!s->acc || s->acc(s->v, k, k, s->ctx))) {
			if (s->found < s->maxkeep)
				memcpy(s->cands + s->found * s->ncells, s->v,
				       s->ncells * sizeof *s->v);
			s->found++;
		}
		return;
	}
	size_t left = s->ncells - k - 1;
	bool neg = s->d[pos] == '-';
	size_t p0 = pos + (neg ? 1 : 0);
	if (p0 >= s->len || s->d[p0] == '-')
		return;
	double x = 0;
	for (size_t e = p0; e < s->len && e - p0 < MAX_DIGITS; e++) {
		if (s->d[e] == '-')
			break;
		if (e > p0 && s->bound[e])
			break; /* a cell cannot span a forced boundary */
		x = x * 10 + (s->d[e] - '0');
		size_t end = e + 1;
		bool zero_lead = s->d[p0] == '0' && e > p0;
		if (zero_lead)
			break;
		size_t rest = s->len - end;
		if (rest < left)
			break;
		if (rest > (left) * (MAX_DIGITS + 1))
			continue;
		if (left == 0 && end != s->len)
			continue;
		if (left > 0 && end == s->len)
			break;
		s->v[k] = neg ? -x : x;
		if (s->acc && !s->acc(s->v, k + 1, s->ncells, s->ctx))
			continue;
		dfs(s, end, k + 1);
	}
}

size_t st_split(const st_tok *toks, size_t ntok, size_t ncells, bool join,
                st_accept_fn acc, void *ctx, double *cands, size_t maxkeep,
                bool *complete)
{
	search *s = calloc(1, sizeof *s);
	*complete = false;
	if (!s || ncells == 0 || ncells > ST_MAXCELLS) {
		free(s);
		return 0;
	}
	for (size_t t = 0; t < ntok; t++) {
		if (toks[t].blank)
			continue;
		if (s->len)
			s->bound[s->len] = !join;
		for (size_t i = 0; i < toks[t].n; i++) {
			char c = toks[t].p[i];
			if (c == '.' || s->len >= MAX_CHARS) {
				free(s); /* decimals are never run together */
				return 0;
			}
			if (c == '-')
				s->bound[s->len] = true;
			s->d[s->len++] = c;
		}
	}
	if (!s->len) {
		free(s);
		return 0;
	}
	s->ncells = ncells;
	s->acc = acc;
	s->ctx = ctx;
	s->cands = cands;
	s->maxkeep = maxkeep;
	s->complete = true;
	dfs(s, 0, 0);
	*complete = s->complete;
	size_t found = s->found;
	free(s);
	return found;
}

bool st_tok_value(const st_tok *t, double *v)
{
	if (t->blank || t->n == 0 || t->n > 40)
		return false;
	char buf[48];
	memcpy(buf, t->p, t->n);
	buf[t->n] = '\0';
	char *end;
	double x = strtod(buf, &end);
	if (end != buf + t->n)
		return false;
	*v = x;
	return true;
}
