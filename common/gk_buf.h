/* gk_buf: a growable byte buffer with a hard size limit.
 *
 * The contents are always NUL-terminated (the NUL is not counted in len),
 * so a buffer of text can be passed on as a C string. Every buffer has a
 * maximum size: input that would grow it beyond max fails with GK_ENOMEM
 * instead of exhausting memory. */
#ifndef GK_BUF_H
#define GK_BUF_H

#include <stddef.h>

#include "gk_error.h"

typedef struct gk_buf {
	char *data; /* NULL until the first append */
	size_t len;
	size_t cap;
	size_t max;
} gk_buf;

#define GK_BUF_INIT(maxsize)                                                   \
	{                                                                      \
		NULL, 0, 0, (maxsize)                                          \
	}

gk_status gk_buf_append(gk_buf *b, const void *p, size_t n);
gk_status gk_buf_appendc(gk_buf *b, char c);
gk_status gk_buf_appendf(gk_buf *b, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;
/* Empties the buffer, keeping its memory. */
void gk_buf_reset(gk_buf *b);
/* Frees the memory; the buffer may be reused afterwards. */
void gk_buf_free(gk_buf *b);
/* Hands the memory to the caller (to free()); the buffer becomes empty.
 * Returns an allocated empty string for a buffer never appended to, or
 * NULL when even that allocation fails. */
char *gk_buf_steal(gk_buf *b);

#endif
