#define _DEFAULT_SOURCE
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gk_buf.h"
#include "gk_utf8.h"
#include "lexicon.h"

/* Defined by lexdata.c. */
extern const unsigned char gk_tok__lexicon_data[];
extern const unsigned char gk_tok__lexicon_end[];

typedef struct user_entry {
	char *word; /* NULL: empty slot */
	uint32_t len;
	uint32_t hash;
	uint32_t freq; /* 0: only a prefix of user words */
} user_entry;

struct gk_tok__lex {
	const gk_tok__lexhdr *hdr;
	const uint32_t *slots;
	const unsigned char *strings;
	user_entry *user;
	size_t ucap, ucount;
	uint64_t utotal;
	size_t umem;
	double log_total;
	int no_builtin;
	/* Memo of gk_tok__lex_lookup for single characters of the Basic
	 * Multilingual Plane, which every character of a run is looked up as:
	 * one table read instead of a hash probe. Reset when words change. */
	int32_t *single;
	size_t segmented; /* Han characters cut so far */
	bool prefaulted;
};

/* User lexicons are read whole; this bounds them. */
#define LEXICON_FILE_MAX (256u << 20)

#define SINGLE_SIZE 0x10000
/* Han characters cut before the whole table is mapped in. */
#define PREFAULT_AFTER 20000
#define SINGLE_UNSET   INT32_MIN

static void single_reset(gk_tok__lex *lex)
{
	for (size_t i = 0; i < SINGLE_SIZE; i++)
		lex->single[i] = SINGLE_UNSET;
}

/* The BMP character the n bytes at p encode when they are one 3-byte
 * character, else -1. */
static int32_t single_cp(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	if (n != 3 || (s[0] & 0xF0) != 0xE0)
		return -1;
	return ((s[0] & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F);
}

/* Lookups land on random pages of the table: once enough text has been
 * cut (indexing, not a query), mapping it in one call costs far less than
 * a page fault per lookup. Best effort: without the call
 * (older kernels) pages are faulted in as they are used. */
static void prefault(const unsigned char *data, size_t size)
{
#ifdef MADV_POPULATE_READ
	long page = sysconf(_SC_PAGESIZE);
	if (page <= 0)
		return;
	uintptr_t start = (uintptr_t)data & ~(uintptr_t)(page - 1);
	uintptr_t end = (uintptr_t)data + size;
	madvise((void *)start, end - start, MADV_POPULATE_READ);
#else
	(void)data;
	(void)size;
#endif
}

gk_status gk_tok__lex_new(gk_tok__lex **out, gk_error *err)
{
	*out = NULL;
	const unsigned char *data = gk_tok__lexicon_data;
	size_t size = (size_t)(gk_tok__lexicon_end - gk_tok__lexicon_data);
	const gk_tok__lexhdr *h = (const gk_tok__lexhdr *)data;
	if (size < sizeof *h || h->magic != GK_TOK__LEX_MAGIC ||
	    h->version != GK_TOK__LEX_VERSION || !h->nslots ||
	    (h->nslots & (h->nslots - 1)) ||
	    size != sizeof *h + (size_t)h->nslots * 8 + h->strings_len)
		return gk_error_set(err, GK_ECORRUPT,
		                    "the built-in lexicon is damaged: rebuild "
		                    "gongkai");
	gk_tok__lex *lex = calloc(1, sizeof *lex);
	if (!lex)
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	lex->hdr = h;
	lex->slots = (const uint32_t *)(data + sizeof *h);
	lex->strings = data + sizeof *h + (size_t)h->nslots * 8;
	lex->log_total = log((double)(h->total ? h->total : 1));
	lex->single = malloc(SINGLE_SIZE * sizeof *lex->single);
	if (!lex->single) {
		free(lex);
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	}
	single_reset(lex);
	*out = lex;
	return GK_OK;
}

void gk_tok__lex_segmented(gk_tok__lex *lex, size_t chars)
{
	if (lex->prefaulted)
		return;
	lex->segmented += chars;
	if (lex->segmented < PREFAULT_AFTER)
		return;
	lex->prefaulted = true;
	prefault(gk_tok__lexicon_data,
	         (size_t)(gk_tok__lexicon_end - gk_tok__lexicon_data));
}

void gk_tok__lex_free(gk_tok__lex *lex)
{
	if (!lex)
		return;
	for (size_t i = 0; i < lex->ucap; i++)
		free(lex->user[i].word);
	free(lex->user);
	free(lex->single);
	free(lex);
}

static long builtin_lookup(const gk_tok__lex *lex, const char *p, size_t n,
                           uint32_t h)
{
	uint32_t mask = lex->hdr->nslots - 1;
	for (uint32_t i = h & mask;; i = (i + 1) & mask) {
		uint32_t off = lex->slots[2 * i];
		if (!off)
			return -1;
		const unsigned char *s = lex->strings + off;
		if (s[0] == n && memcmp(s + 1, p, n) == 0)
			return lex->slots[2 * i + 1];
	}
}

static user_entry *user_find(const gk_tok__lex *lex, const char *p, size_t n,
                             uint32_t h)
{
	if (!lex->ucap)
		return NULL;
	size_t mask = lex->ucap - 1;
	for (size_t i = h & mask;; i = (i + 1) & mask) {
		user_entry *e = &lex->user[i];
		if (!e->word)
			return e;
		if (e->hash == h && e->len == n && memcmp(e->word, p, n) == 0)
			return e;
	}
}

void gk_tok__lex_use_builtin(gk_tok__lex *lex, int builtin)
{
	lex->no_builtin = !builtin;
	single_reset(lex);
}

static long lookup(const gk_tok__lex *lex, const char *p, size_t n);

long gk_tok__lex_lookup(const gk_tok__lex *lex, const char *p, size_t n)
{
	int32_t cp = single_cp(p, n);
	if (cp < 0)
		return lookup(lex, p, n);
	if (lex->single[cp] == SINGLE_UNSET)
		lex->single[cp] = (int32_t)lookup(lex, p, n);
	return lex->single[cp];
}

static long lookup(const gk_tok__lex *lex, const char *p, size_t n)
{
	uint32_t h = gk_tok__lex_hash(p, n);
	long uf = -1;
	if (lex->no_builtin) {
		user_entry *e = user_find(lex, p, n, h);
		return e && e->word ? (long)e->freq : -1;
	}
	if (lex->ucount) {
		user_entry *e = user_find(lex, p, n, h);
		if (e->word) {
			if (e->freq)
				return e->freq;
			uf = 0;
		}
	}
	long bf = builtin_lookup(lex, p, n, h);
	return bf >= 0 ? bf : uf;
}

double gk_tok__lex_log_total(const gk_tok__lex *lex)
{
	return lex->log_total;
}

size_t gk_tok__lex_memory(const gk_tok__lex *lex)
{
	return (size_t)(gk_tok__lexicon_end - gk_tok__lexicon_data) +
	       sizeof *lex + lex->ucap * sizeof(user_entry) + lex->umem +
	       SINGLE_SIZE * sizeof *lex->single;
}

static gk_status user_grow(gk_tok__lex *lex)
{
	size_t cap = lex->ucap ? lex->ucap * 2 : 1024;
	user_entry *t = calloc(cap, sizeof *t);
	if (!t)
		return GK_ENOMEM;
	user_entry *old = lex->user;
	size_t oldcap = lex->ucap;
	lex->user = t;
	lex->ucap = cap;
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].word)
			continue;
		user_entry *e =
		    user_find(lex, old[i].word, old[i].len, old[i].hash);
		*e = old[i];
	}
	free(old);
	return GK_OK;
}

/* Records p as a word (freq > 0) or as a prefix (freq 0, never lowering
 * an existing word). */
static gk_status user_put(gk_tok__lex *lex, const char *p, size_t n,
                          uint32_t freq)
{
	if ((lex->ucount + 1) * 2 > lex->ucap && user_grow(lex))
		return GK_ENOMEM;
	uint32_t h = gk_tok__lex_hash(p, n);
	int32_t cp = single_cp(p, n);
	if (cp >= 0)
		lex->single[cp] = SINGLE_UNSET;
	user_entry *e = user_find(lex, p, n, h);
	if (e->word) {
		if (freq) {
			lex->utotal += freq;
			e->freq = freq;
		}
		return GK_OK;
	}
	e->word = malloc(n);
	if (!e->word)
		return GK_ENOMEM;
	memcpy(e->word, p, n);
	e->len = (uint32_t)n;
	e->hash = h;
	e->freq = freq;
	lex->utotal += freq;
	lex->ucount++;
	lex->umem += n;
	return GK_OK;
}

static gk_status add_word(gk_tok__lex *lex, const char *w, size_t n,
                          uint32_t freq)
{
	for (size_t i = 1; i < n; i++) {
		if (((unsigned char)w[i] & 0xC0) == 0x80)
			continue;
		if (user_put(lex, w, i, 0))
			return GK_ENOMEM;
	}
	return user_put(lex, w, n, freq);
}

gk_status gk_tok__lex_load_text(gk_tok__lex *lex, gk_tok__charmap *m,
                                const char *name, const char *text, size_t len,
                                gk_error *err)
{
	gk_status st = GK_OK;
	unsigned lineno = 0;
	for (size_t i = 0; i < len && !st;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		const char *line = text + i;
		i += n + (nl ? 1 : 0);
		lineno++;
		if (!gk_utf8_valid(line, n, NULL)) {
			st = gk_error_set(err, GK_EFORMAT,
			                  "lexicon %s:%u: not valid UTF-8",
			                  name, lineno);
			break;
		}
		const char *w;
		size_t wlen;
		uint32_t freq;
		int r = gk_tok__lex_parse_line(line, n, &w, &wlen, &freq);
		if (r < 0) {
			st = gk_error_set(err, GK_EFORMAT,
			                  "lexicon %s:%u: the frequency after "
			                  "the word is not a whole number",
			                  name, lineno);
			break;
		}
		char norm[GK_TOK__LEX_MAX_CHARS * 4];
		size_t nn;
		/* Words that are not all Han never meet word segmentation:
		 * the word breaker already keeps them whole. */
		if (r == 0 || !(nn = gk_tok__lex_normalise(m, w, wlen, norm,
		                                           sizeof norm)))
			continue;
		if (r == 1) {
			/* No frequency given: the default, unless the word is
			 * already more frequent than that; or, on its own, the
			 * built-in frequency where there is one. */
			long cur = builtin_lookup(lex, norm, nn,
			                          gk_tok__lex_hash(norm, nn));
			if (lex->no_builtin && cur > 0)
				freq = (uint32_t)cur;
			cur = gk_tok__lex_lookup(lex, norm, nn);
			if (!lex->no_builtin && cur > (long)freq)
				freq = (uint32_t)cur;
		}
		if (add_word(lex, norm, nn, freq))
			st = gk_error_set(err, GK_ENOMEM, "out of memory");
	}
	single_reset(lex);
	lex->log_total = log((double)((lex->no_builtin ? 0 : lex->hdr->total) +
	                              lex->utotal + 1));
	return st;
}

gk_status gk_tok__lex_load(gk_tok__lex *lex, gk_tok__charmap *m,
                           const char *path, gk_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return gk_error_set(err,
		                    errno == ENOENT ? GK_ENOTFOUND : GK_EIO,
		                    "lexicon %s: %s", path, strerror(errno));
	gk_buf text = GK_BUF_INIT(LEXICON_FILE_MAX);
	char chunk[65536];
	size_t n;
	gk_status st = GK_OK;
	while (!st && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
		if (gk_buf_append(&text, chunk, n))
			st = gk_error_set(err, GK_EFORMAT,
			                  "lexicon %s: larger than %u MiB",
			                  path, LEXICON_FILE_MAX >> 20);
	if (!st && ferror(f))
		st = gk_error_set(err, GK_EIO, "lexicon %s: %s", path,
		                  strerror(errno));
	fclose(f);
	if (!st)
		st = gk_tok__lex_load_text(
		    lex, m, path, text.data ? text.data : "", text.len, err);
	gk_buf_free(&text);
	return st;
}
