/* gk_lexgen: compiles word lists into the built-in lexicon table (see
 * lexicon.h for the layout). Run by the build.
 *
 * Usage: gk_lexgen -o OUT -c CHARMAP_OUT FILE...
 * Each FILE holds "word [frequency]" lines; later files override earlier
 * ones, except that an entry without a frequency never lowers one. Words
 * that are not all Han characters are left out: segmentation only ever
 * looks up Han runs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "charmap.h"
#include "gk_utf8.h"
#include "lexicon.h"

typedef struct entry {
	char *word;
	uint32_t len, hash, freq;
} entry;

typedef struct table {
	entry *e;
	size_t cap, count;
} table;

static entry *find(table *t, const char *w, size_t n, uint32_t h)
{
	for (size_t i = h & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		entry *e = &t->e[i];
		if (!e->word ||
		    (e->hash == h && e->len == n && !memcmp(e->word, w, n)))
			return e;
	}
}

static int grow(table *t)
{
	table n = { calloc(t->cap * 2, sizeof(entry)), t->cap * 2, t->count };
	if (!n.e)
		return -1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->e[i].word)
			*find(&n, t->e[i].word, t->e[i].len, t->e[i].hash) =
			    t->e[i];
	free(t->e);
	*t = n;
	return 0;
}

/* freq 0 marks a prefix and never lowers a word; keep_higher keeps an
 * existing higher frequency. */
static int put(table *t, const char *w, size_t n, uint32_t freq,
               int keep_higher)
{
	if ((t->count + 1) * 2 > t->cap && grow(t))
		return -1;
	uint32_t h = gk_tok__lex_hash(w, n);
	entry *e = find(t, w, n, h);
	if (!e->word) {
		e->word = malloc(n);
		if (!e->word)
			return -1;
		memcpy(e->word, w, n);
		e->len = (uint32_t)n;
		e->hash = h;
		t->count++;
	}
	if (freq && !(keep_higher && e->freq > freq))
		e->freq = freq;
	return 0;
}

static int read_list(table *t, gk_tok__charmap *m, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "gk_lexgen: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned lineno = 0;
	int rc = 0;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		const char *w;
		size_t wlen;
		uint32_t freq;
		int r =
		    gk_tok__lex_parse_line(line, (size_t)len, &w, &wlen, &freq);
		if (r < 0) {
			fprintf(stderr, "gk_lexgen: %s:%u: bad frequency\n",
			        path, lineno);
			rc = -1;
			break;
		}
		char norm[GK_TOK__LEX_MAX_CHARS * 4];
		size_t n;
		if (r == 0 || !gk_utf8_valid(w, wlen, NULL) ||
		    !(n = gk_tok__lex_normalise(m, w, wlen, norm, sizeof norm)))
			continue;
		for (size_t i = 1; i < n && !rc; i++)
			if (((unsigned char)norm[i] & 0xC0) != 0x80)
				rc = put(t, norm, i, 0, 1);
		if (!rc)
			rc = put(t, norm, n, freq, r == 1);
		if (rc) {
			fprintf(stderr, "gk_lexgen: out of memory\n");
			break;
		}
	}
	free(line);
	fclose(f);
	return rc;
}

static int write_table(const table *t, const char *path)
{
	size_t nslots = 1;
	while (nslots < t->count * 2)
		nslots *= 2;
	uint32_t *slots = calloc(nslots * 2, sizeof *slots);
	size_t slen = 1;
	for (size_t i = 0; i < t->cap; i++)
		if (t->e[i].word)
			slen += 1 + t->e[i].len;
	unsigned char *strings = calloc(slen + 8, 1);
	if (!slots || !strings) {
		fprintf(stderr, "gk_lexgen: out of memory\n");
		return -1;
	}
	gk_tok__lexhdr h = { GK_TOK__LEX_MAGIC,
		             GK_TOK__LEX_VERSION,
		             (uint32_t)nslots,
		             0,
		             0,
		             0,
		             0 };
	size_t off = 1;
	for (size_t i = 0; i < t->cap; i++) {
		const entry *e = &t->e[i];
		if (!e->word)
			continue;
		size_t s = e->hash & (nslots - 1);
		while (slots[2 * s])
			s = (s + 1) & (nslots - 1);
		slots[2 * s] = (uint32_t)off;
		slots[2 * s + 1] = e->freq;
		strings[off] = (unsigned char)e->len;
		memcpy(strings + off + 1, e->word, e->len);
		off += 1 + e->len;
		if (e->freq) {
			h.nwords++;
			h.total += e->freq;
		}
	}
	/* Pad so that the table keeps 8-byte alignment when embedded. */
	h.strings_len = (uint32_t)((off + 7) & ~(size_t)7);
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(&h, sizeof h, 1, f) == 1 &&
	         fwrite(slots, sizeof *slots, nslots * 2, f) == nslots * 2 &&
	         fwrite(strings, 1, h.strings_len, f) == h.strings_len;
	if (f && fclose(f))
		ok = 0;
	free(slots);
	free(strings);
	if (!ok) {
		fprintf(stderr, "gk_lexgen: cannot write %s: %s\n", path,
		        strerror(errno));
		return -1;
	}
	fprintf(stderr,
	        "gk_lexgen: %u words (%zu entries with prefixes), %.1f MB\n",
	        h.nwords, t->count,
	        (sizeof h + nslots * 8.0 + h.strings_len) / 1048576.0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 6 || strcmp(argv[1], "-o") || strcmp(argv[3], "-c")) {
		fprintf(stderr,
		        "usage: gk_lexgen -o OUT -c CHARMAP_OUT FILE...\n");
		return 2;
	}
	gk_error err;
	gk_tok__charmap *m = NULL;
	if (gk_tok__charmap_new(&m, &err)) {
		fprintf(stderr, "gk_lexgen: %s\n", err.msg);
		return 1;
	}
	table t = { calloc(1024, sizeof(entry)), 1024, 0 };
	int rc = t.e ? 0 : -1;
	for (int i = 5; i < argc && !rc; i++)
		rc = read_list(&t, m, argv[i]);
	if (!rc)
		rc = write_table(&t, argv[2]);
	if (!rc) {
		/* The traditional-to-simplified map, so that programs need no
		 * transliterator at run time. */
		FILE *f = fopen(argv[4], "wb");
		long n = f ? gk_tok__charmap_write_table(m, f) : -1;
		if (f && fclose(f))
			n = -1;
		if (n < 0) {
			fprintf(stderr, "gk_lexgen: cannot write %s\n",
			        argv[4]);
			rc = -1;
		} else {
			fprintf(stderr, "gk_lexgen: %ld characters mapped\n",
			        n);
		}
	}
	for (size_t i = 0; i < t.cap; i++)
		free(t.e[i].word);
	free(t.e);
	gk_tok__charmap_free(m);
	return rc ? 1 : 0;
}
