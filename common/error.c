#include "gk_error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *gk_status_str(gk_status st)
{
	switch (st) {
	case GK_OK: return "ok";
	case GK_ERROR: return "error";
	case GK_ENOMEM: return "out of memory";
	case GK_EINVAL: return "invalid argument";
	case GK_EIO: return "input/output error";
	case GK_ENOTFOUND: return "not found";
	case GK_ECORRUPT: return "corrupt data";
	case GK_ELOCKED: return "database locked";
	case GK_EMODIFIED: return "database modified";
	case GK_EQUERY: return "query error";
	case GK_EFORMAT: return "unsupported format";
	case GK_ECANCELLED: return "cancelled";
	case GK_EINTERNAL: return "internal error";
	}
	return "unknown error";
}

void gk_error_clear(gk_error *err)
{
	if (!err)
		return;
	err->status = GK_OK;
	err->msg[0] = '\0';
}

gk_status gk_error_set(gk_error *err, gk_status st, const char *fmt, ...)
{
	if (!err)
		return st;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	err->status = st;
	return st;
}

void gk_error_prefix(gk_error *err, const char *fmt, ...)
{
	if (!err)
		return;
	char prefix[GK_ERROR_MSG_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	/* Build prefix + message in prefix[], then copy back, truncating. */
	size_t plen = (size_t)n < sizeof prefix ? (size_t)n : sizeof prefix - 1;
	size_t mlen = strnlen(err->msg, sizeof err->msg);
	if (mlen > sizeof prefix - 1 - plen)
		mlen = sizeof prefix - 1 - plen;
	memmove(prefix + plen, err->msg, mlen);
	prefix[plen + mlen] = '\0';
	memcpy(err->msg, prefix, plen + mlen + 1);
}
