/* Private to the tokenizer: the word lexicon that Han runs are segmented
 * against, and its file formats.
 *
 * Two sources are consulted: the built-in table, compiled from the
 * general and domain word lists when gongkai is built and embedded in the
 * program, and the user lexicons loaded at run time (which take
 * precedence). Every prefix of a word is recorded too (frequency 0), so
 * that a scan along a run can stop as soon as no word can start there.
 *
 * Built-in table layout (host byte order, 8-byte aligned):
 *   gk_tok__lexhdr, then nslots pairs of uint32 (string offset, frequency;
 *   offset 0 = empty slot), then the strings: a length byte and that many
 *   bytes of UTF-8 each. Slots use open addressing with linear probing on
 *   gk_tok__lex_hash. */
#ifndef GK_TOK_LEXICON_H
#define GK_TOK_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "charmap.h"
#include "gk_error.h"

#define GK_TOK__LEX_MAGIC   0x584c4b47u /* "GKLX" */
#define GK_TOK__LEX_VERSION 1
/* Words longer than this (in characters) are not kept. */
#define GK_TOK__LEX_MAX_CHARS 16
/* The frequency of a lexicon entry that states none: high enough that the
 * word wins over its pieces in almost every context. */
#define GK_TOK__LEX_DEFAULT_FREQ 2000

typedef struct gk_tok__lexhdr {
	uint32_t magic, version;
	uint32_t nslots; /* a power of two */
	uint32_t nwords; /* entries with a frequency > 0 */
	uint64_t total;  /* sum of the frequencies */
	uint32_t strings_len;
	uint32_t pad;
} gk_tok__lexhdr;

static inline uint32_t gk_tok__lex_hash(const char *p, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 16777619u;
	}
	return h;
}

/* One line of a lexicon file: "word [frequency [ignored...]]", '#' starts
 * a comment. For an entry, returns 2 with the word and its frequency, or 1
 * when the line gives none (*freq is then GK_TOK__LEX_DEFAULT_FREQ); 0 for
 * a blank or comment line, -1 for a line whose frequency is not a
 * number. */
int gk_tok__lex_parse_line(const char *line, size_t len, const char **word,
                           size_t *wlen, uint32_t *freq);

/* Normalises a lexicon word into out (capacity cap): every character must
 * be Han and is mapped with gk_tok__charmap_han. Returns the length, 0 when
 * the word has a character that is not Han, is too long, or is not valid
 * UTF-8. */
size_t gk_tok__lex_normalise(gk_tok__charmap *m, const char *w, size_t n,
                             char *out, size_t cap);

typedef struct gk_tok__lex gk_tok__lex;

/* The built-in table; GK_ECORRUPT if the embedded data is damaged. */
gk_status gk_tok__lex_new(gk_tok__lex **out, gk_error *err);
void gk_tok__lex_free(gk_tok__lex *lex);

/* Adds the words of a lexicon file; later entries override earlier ones
 * and the built-in table. */
gk_status gk_tok__lex_load(gk_tok__lex *lex, gk_tok__charmap *m,
                           const char *path, gk_error *err);
/* The same for the len bytes of a lexicon file's text; name is used in
 * messages. */
gk_status gk_tok__lex_load_text(gk_tok__lex *lex, gk_tok__charmap *m,
                                const char *name, const char *text, size_t len,
                                gk_error *err);

/* With builtin off, only the words of loaded lexicons count; the built-in
 * table still supplies the frequency of entries that give none. Set
 * before loading. */
void gk_tok__lex_use_builtin(gk_tok__lex *lex, int builtin);
/* Tells the lexicon that chars more Han characters are being cut; after
 * enough of them it maps its whole table in at once. */
void gk_tok__lex_segmented(gk_tok__lex *lex, size_t chars);

/* Frequency of the len bytes at p: > 0 for a word, 0 for a prefix of a
 * word only, -1 when no word starts that way. */
long gk_tok__lex_lookup(const gk_tok__lex *lex, const char *p, size_t len);

/* log of the total frequency, the denominator of word probabilities. */
double gk_tok__lex_log_total(const gk_tok__lex *lex);

/* Bytes of memory the lexicon occupies (built-in table included). */
size_t gk_tok__lex_memory(const gk_tok__lex *lex);

#endif
