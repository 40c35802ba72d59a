#include "segment.h"

#include <math.h>

void gk_tok__segment(const gk_tok__lex *lex, const char *nb, const size_t *off,
                     size_t n, double *route, uint32_t *next)
{
	double log_total = gk_tok__lex_log_total(lex);
	route[n] = 0;
	for (size_t i = n; i-- > 0;) {
		double best = -INFINITY;
		size_t best_j = i + 1;
		for (size_t j = i + 1; j <= n && j - i <= GK_TOK__LEX_MAX_CHARS;
		     j++) {
			long f = gk_tok__lex_lookup(lex, nb + off[i],
			                            off[j] - off[i]);
			if (j > i + 1 && f <= 0) {
				if (f < 0)
					break; /* no word goes on this way */
				continue;      /* only a prefix */
			}
			double p =
			    log(f > 0 ? (double)f : 1.0) - log_total + route[j];
			/* On a tie the longer word wins. */
			if (p >= best) {
				best = p;
				best_j = j;
			}
			if (f < 0)
				break;
		}
		route[i] = best;
		next[i] = (uint32_t)best_j;
	}
}
