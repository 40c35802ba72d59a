#include "gk_buf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gk_status buf__reserve(gk_buf *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return GK_ENOMEM;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return GK_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return GK_ENOMEM;
	b->data = p;
	b->cap = cap;
	return GK_OK;
}

gk_status gk_buf_append(gk_buf *b, const void *p, size_t n)
{
	gk_status st = buf__reserve(b, n);
	if (st)
		return st;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return GK_OK;
}

gk_status gk_buf_appendc(gk_buf *b, char c)
{
	return gk_buf_append(b, &c, 1);
}

gk_status gk_buf_appendf(gk_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return GK_EINVAL;
	gk_status st = buf__reserve(b, (size_t)n);
	if (st)
		return st;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return GK_OK;
}

void gk_buf_reset(gk_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void gk_buf_free(gk_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *gk_buf_steal(gk_buf *b)
{
	char *p = b->data;
	if (!p)
		p = calloc(1, 1);
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}
