/* Status codes and user-facing error messages shared by every module.
 *
 * Every fallible function returns a gk_status (GK_OK == 0, failures < 0) and,
 * when the caller passes a gk_error, fills it with a message a user can act
 * on. The gk_error is always owned by the caller; passing NULL is allowed and
 * simply drops the message. */
#ifndef GK_ERROR_H
#define GK_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum gk_status {
	GK_OK = 0,
	GK_ERROR = -1,       /* failure without a more specific class */
	GK_ENOMEM = -2,      /* out of memory or a size limit was hit */
	GK_EINVAL = -3,      /* bad argument (e.g. an over-long term) */
	GK_EIO = -4,         /* reading or writing a file failed */
	GK_ENOTFOUND = -5,   /* file or database does not exist */
	GK_ECORRUPT = -6,    /* database or file is damaged */
	GK_ELOCKED = -7,     /* another writer holds the database lock */
	GK_EMODIFIED = -8,   /* database changed under a reader, retry failed */
	GK_EQUERY = -9,      /* the user's query cannot be understood */
	GK_EFORMAT = -10,    /* input is not in a supported format/encoding */
	GK_ECANCELLED = -11, /* stopped on request (e.g. Ctrl-C) */
	GK_EINTERNAL = -12,  /* a bug: an unexpected exception or state */
} gk_status;

#define GK_ERROR_MSG_MAX 1024

typedef struct gk_error {
	gk_status status;
	char msg[GK_ERROR_MSG_MAX];
} gk_error;

/* Short English name of a status ("database locked"); never NULL. */
const char *gk_status_str(gk_status st);

/* Resets err (NULL-safe) to GK_OK with an empty message. */
void gk_error_clear(gk_error *err);

/* Sets err (NULL-safe) to st with a printf-style message, truncated to fit.
 * Returns st so that callers can write `return gk_error_set(err, ...)`. */
gk_status gk_error_set(gk_error *err, gk_status st, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Prepends context ("report.md: ") to the message already in err. */
void gk_error_prefix(gk_error *err, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#ifdef __cplusplus
}
#endif

#endif
