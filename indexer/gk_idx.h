/* gk_idx: writes reports into a search database.
 *
 * Files are parsed into passages (see gk_doc.h) and each passage becomes
 * one document. Re-indexing a file replaces all of its passages. Work is
 * committed in batches of whole files, each batch inside a transaction, so
 * an interrupted run leaves the database as it was after the last batch:
 * never half a file, never a database that fails to open.
 *
 * A file that cannot be read or parsed is reported through the events and
 * skipped; the run goes on with the other files.
 *
 * Each report's statistics tables are read as well (gk_stats_extract, on
 * the text the report was parsed from) and kept in its record document
 * (see gk_schema.h); tables that cannot be read never fail the file: the
 * report is indexed without them, the reason kept in its record. */
#ifndef GK_IDX_H
#define GK_IDX_H

#include <stddef.h>

#include "gk_doc.h"
#include "gk_error.h"
#include "gk_src.h"

typedef struct gk_idx gk_idx;

typedef struct gk_idx_events {
	/* A file failed; err says why (its message names the file). */
	void (*on_error)(const char *path, const gk_error *err, void *payload);
	/* A file inside a directory was passed over (not a text report). */
	void (*on_skip)(const char *path, const char *reason, void *payload);
	/* A file was indexed into npassages passages. */
	void (*on_file)(const char *path, size_t npassages, void *payload);
	/* Polled between files; non-zero stops the run (GK_ECANCELLED). */
	int (*should_stop)(void *payload);
	void *payload;
} gk_idx_events;

typedef struct gk_idx_stats {
	size_t files;    /* indexed */
	size_t failed;   /* could not be indexed */
	size_t skipped;  /* not report files, passed over in directories */
	size_t passages; /* written */
} gk_idx_stats;

/* Opens (creating when needed) the database at dbpath for writing.
 * GK_ELOCKED when another writer has it open. events may be NULL. */
gk_status gk_idx_open(gk_idx **out, const char *dbpath,
                      const gk_idx_events *events, gk_error *err);

/* Closes; files not yet committed are dropped, as after a crash. */
void gk_idx_free(gk_idx *ix);

/* Adds a user lexicon (see gk_tok_add_lexicon) to the tokenizer and to
 * the database, which keeps it for every later indexing and search run.
 * Files indexed before keep the words they were cut into until they are
 * indexed again (their characters stay findable either way). */
gk_status gk_idx_add_lexicon(gk_idx *ix, const char *path, gk_error *err);

/* Indexes a file, or every report file (.txt, .md, .html, .pdf) under a
 * directory (recursively,
 * not following symbolic links to directories). The report is recorded
 * under path as given, joined with the path inside a directory. Per-file
 * failures go to the events and do not fail the call; a failure of the
 * database (or a stop request) does. */
gk_status gk_idx_add_path(gk_idx *ix, const char *path, gk_error *err);

/* Commits the files indexed since the last batch. */
gk_status gk_idx_commit(gk_idx *ix, gk_error *err);

void gk_idx_get_stats(const gk_idx *ix, gk_idx_stats *out);

/* Size and time limits for each file (GK_SRC_LIMITS_DEFAULT until set). */
void gk_idx_set_limits(gk_idx *ix, const gk_src_limits *limits);

/* Reads (text, Markdown, HTML or PDF, in any of the usual encodings) and
 * parses the report file at path as indexing does; name stands for it in
 * messages (and becomes the report's name); limits may be NULL for the
 * defaults. On success *out is the caller's to free with gk_doc_free. */
gk_status gk_idx_read_doc(gk_doc **out, const char *path, const char *name,
                          const gk_src_limits *limits, gk_error *err);

#endif
