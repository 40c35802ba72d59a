/* gk_xap: the C interface to Xapian (see gk_xap.h).
 *
 * Every exported function catches everything: a C caller has no way to
 * handle a C++ exception, and unwinding through C frames is undefined. All
 * catching funnels into map_error(), so that one place decides how Xapian's
 * exceptions read to a user. */
#include "gk_xap.h"

#include <xapian.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

struct gk_xap_wdb {
	Xapian::WritableDatabase db;
	std::string path;
	bool in_txn = false;
};

struct gk_xap_db {
	Xapian::Database db;
	std::string path;
};

struct gk_xap_doc {
	Xapian::Document doc;
};

struct gk_xap_query {
	Xapian::Query q;
};

struct gk_xap_enquire {
	gk_xap_db *db = nullptr;
	Xapian::Query query;

	bool have_bm25 = false;
	double k1 = 1, k2 = 0, k3 = 1, b = 0.5, min_normlen = 0.5;

	bool have_collapse = false;
	Xapian::valueno collapse_slot = 0;
	Xapian::doccount collapse_max = 0;

	bool have_sort = false;
	Xapian::valueno sort_slot = 0;
	bool sort_desc = false;

	std::vector<Xapian::valueno> facet_slots;

	/* The Enquire holds raw pointers to the spies, so it is declared
	 * after them: members die in reverse order, the Enquire first. */
	std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
	std::unique_ptr<Xapian::Enquire> enq;
};

typedef std::vector<std::pair<std::string, uint64_t>> facet_counts;

struct gk_xap_mset {
	Xapian::MSet mset;
	gk_xap_db *db = nullptr;
	std::vector<facet_counts> facets;
	std::string scratch;
};

namespace
{

/* Xapian's message plus, when the failure came from a system call, the
 * system's reason. */
const char *detail(const Xapian::Error &e, char *buf, size_t size) noexcept
{
	const char *why = e.get_error_string();
	snprintf(buf, size, "%s%s%s%s", e.get_msg().c_str(), why ? " (" : "",
	         why ? why : "", why ? ")" : "");
	return buf;
}

/* Must be called from inside a catch handler: rethrows the exception in
 * flight and turns it into a status and a message. path names the database
 * involved, or is NULL or empty when none is. Formats into fixed buffers so
 * that reporting an exhausted heap cannot itself throw. */
gk_status map_error(gk_error *err, const char *path) noexcept
{
	char db[GK_ERROR_MSG_MAX / 2], d[GK_ERROR_MSG_MAX / 2];
	if (path && *path)
		snprintf(db, sizeof db, "database '%s'", path);
	else
		snprintf(db, sizeof db, "the database");
	try {
		throw;
	} catch (const Xapian::DatabaseLockError &) {
		return gk_error_set(err, GK_ELOCKED,
		                    "%s is locked: another process is writing "
		                    "to it",
		                    db);
	} catch (const Xapian::DatabaseModifiedError &e) {
		return gk_error_set(err, GK_EMODIFIED,
		                    "%s kept changing while being read: %s; "
		                    "try again",
		                    db, detail(e, d, sizeof d));
	} catch (const Xapian::DatabaseNotFoundError &e) {
		return gk_error_set(err, GK_ENOTFOUND,
		                    "cannot open %s: no database there: %s", db,
		                    detail(e, d, sizeof d));
	} catch (const Xapian::DatabaseVersionError &e) {
		return gk_error_set(err, GK_EFORMAT,
		                    "cannot open %s: format not supported by "
		                    "this version of Xapian: %s",
		                    db, detail(e, d, sizeof d));
	} catch (const Xapian::DatabaseOpeningError &e) {
		return gk_error_set(err, GK_EIO, "cannot open %s: %s", db,
		                    detail(e, d, sizeof d));
	} catch (const Xapian::DatabaseCreateError &e) {
		return gk_error_set(err, GK_EIO, "cannot create %s: %s", db,
		                    detail(e, d, sizeof d));
	} catch (const Xapian::DatabaseCorruptError &e) {
		return gk_error_set(err, GK_ECORRUPT,
		                    "%s is damaged: %s; rebuild the index", db,
		                    detail(e, d, sizeof d));
	} catch (const Xapian::DocNotFoundError &e) {
		return gk_error_set(err, GK_ENOTFOUND,
		                    "%s: a document has gone: %s", db,
		                    detail(e, d, sizeof d));
	} catch (const Xapian::InvalidArgumentError &e) {
		return gk_error_set(err, GK_EINVAL, "%s",
		                    detail(e, d, sizeof d));
	} catch (const Xapian::NetworkError &e) {
		return gk_error_set(err, GK_EIO,
		                    "%s: remote database unreachable: %s", db,
		                    detail(e, d, sizeof d));
	} catch (const Xapian::DatabaseError &e) {
		return gk_error_set(err, GK_EIO, "%s: %s", db,
		                    detail(e, d, sizeof d));
	} catch (const Xapian::Error &e) {
		/* Not get_description(): it allocates. */
		return gk_error_set(err, GK_ERROR, "%s: %s: %s", db,
		                    e.get_type(), detail(e, d, sizeof d));
	} catch (const std::bad_alloc &) {
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	} catch (const std::exception &e) {
		return gk_error_set(err, GK_EINTERNAL,
		                    "internal error in the Xapian layer: %s",
		                    e.what());
	} catch (...) {
		return gk_error_set(err, GK_EINTERNAL,
		                    "internal error in the Xapian layer: "
		                    "unknown exception");
	}
}

gk_status null_arg(gk_error *err, const char *fn)
{
	return gk_error_set(err, GK_EINVAL, "%s: missing argument (NULL)", fn);
}

/* Enough of the term to recognise it, cut back to a UTF-8 boundary so the
 * message itself stays valid text. */
int term_preview_len(const char *term, size_t len)
{
	size_t cut = len < 40 ? len : 40;
	if (cut < len)
		while (cut > 0 && ((unsigned char)term[cut] & 0xC0) == 0x80)
			cut--;
	return (int)cut;
}

gk_status check_term(const char *term, size_t len, gk_error *err)
{
	if (len == 0)
		return gk_error_set(err, GK_EINVAL,
		                    "empty term: terms must be 1 to %d bytes",
		                    GK_XAP_MAX_TERM);
	if (!term)
		return gk_error_set(err, GK_EINVAL, "term is NULL");
	if (len > GK_XAP_MAX_TERM)
		return gk_error_set(err, GK_EINVAL,
		                    "term \"%.*s...\" is %zu bytes long; "
		                    "terms may be at most %d bytes",
		                    term_preview_len(term, len), term, len,
		                    GK_XAP_MAX_TERM);
	return GK_OK;
}

/* Xapian counts in 32 bits; asking for more than it can count is the same
 * as asking for everything. */
Xapian::doccount clamp_count(size_t n)
{
	const size_t top = std::numeric_limits<Xapian::doccount>::max();
	return n > top ? (Xapian::doccount)top : (Xapian::doccount)n;
}

gk_status new_query(gk_xap_query **out, Xapian::Query q)
{
	*out = new gk_xap_query{ std::move(q) };
	return GK_OK;
}

/* Builds a fresh Enquire from the stored settings and runs it. Fresh spies
 * each time because a ValueCountMatchSpy cannot be reset, and a fresh
 * Enquire so that a retry after reopening starts from a clean state. */
Xapian::MSet run_once(gk_xap_enquire *e, Xapian::doccount first,
                      Xapian::doccount max, Xapian::doccount check)
{
	e->enq.reset();
	e->spies.clear();
	e->enq = std::make_unique<Xapian::Enquire>(e->db->db);
	Xapian::Enquire &enq = *e->enq;
	enq.set_query(e->query);
	if (e->have_bm25)
		enq.set_weighting_scheme(Xapian::BM25Weight(
		    e->k1, e->k2, e->k3, e->b, e->min_normlen));
	if (e->have_collapse)
		enq.set_collapse_key(e->collapse_slot, e->collapse_max);
	if (e->have_sort)
		enq.set_sort_by_value_then_relevance(e->sort_slot,
		                                     e->sort_desc);
	for (Xapian::valueno slot : e->facet_slots) {
		e->spies.push_back(
		    std::make_unique<Xapian::ValueCountMatchSpy>(slot));
		enq.add_matchspy(e->spies.back().get());
	}
	return enq.get_mset(first, max, check);
}

gk_status check_index(const gk_xap_mset *m, size_t i, gk_error *err)
{
	if (i >= m->mset.size())
		return gk_error_set(err, GK_EINVAL,
		                    "result %zu does not exist (there are %zu "
		                    "results)",
		                    i, (size_t)m->mset.size());
	return GK_OK;
}

/* Reads hit i's document through get(), which copies what it needs into
 * m->scratch. If the database moved on since the search, the revision the
 * MSet points into may be gone: reopen and fetch by docid, once. */
template <typename Get> void fetch_doc(gk_xap_mset *m, size_t i, Get get)
{
	Xapian::MSetIterator it = m->mset[clamp_count(i)];
	Xapian::docid id = *it;
	try {
		get(it.get_document());
	} catch (const Xapian::DatabaseModifiedError &) {
		m->db->db.reopen();
		get(m->db->db.get_document(id));
	}
}

/* Hands a copy of s to the caller as a malloc'd, NUL-terminated string. */
gk_status give_string(const std::string &s, char **out, size_t *len,
                      gk_error *err)
{
	char *p = (char *)std::malloc(s.size() + 1);
	if (!p)
		return gk_error_set(err, GK_ENOMEM, "out of memory");
	std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	*out = p;
	if (len)
		*len = s.size();
	return GK_OK;
}

} // namespace

/* ---- writable database ------------------------------------------------ */

gk_status gk_xap_wdb_open(gk_xap_wdb **out, const char *path, int create,
                          gk_error *err) noexcept
{
	try {
		if (!out || !path)
			return null_arg(err, "gk_xap_wdb_open");
		*out = nullptr;
		int flags =
		    (create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN) |
		    Xapian::DB_BACKEND_GLASS;
		auto w = std::make_unique<gk_xap_wdb>();
		w->path = path;
		w->db = Xapian::WritableDatabase(w->path, flags);
		*out = w.release();
		return GK_OK;
	} catch (...) {
		return map_error(err, path);
	}
}

void gk_xap_wdb_free(gk_xap_wdb *db) noexcept
{
	if (!db)
		return;
	/* Each step on its own: a failed cancel must not keep the database
	 * from being closed and its lock released. */
	try {
		if (db->in_txn)
			db->db.cancel_transaction();
	} catch (...) {
	}
	try {
		db->db.close();
	} catch (...) {
	}
	try {
		delete db;
	} catch (...) {
	}
}

gk_status gk_xap_wdb_begin(gk_xap_wdb *db, gk_error *err) noexcept
{
	try {
		if (!db)
			return null_arg(err, "gk_xap_wdb_begin");
		if (db->in_txn)
			return gk_error_set(err, GK_EINVAL,
			                    "database '%s': a transaction is "
			                    "already open",
			                    db->path.c_str());
		/* Flushed, so that a commit makes the batch durable rather than
		 * leaving it to a later flush. */
		db->db.begin_transaction(true);
		db->in_txn = true;
		return GK_OK;
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

gk_status gk_xap_wdb_commit(gk_xap_wdb *db, gk_error *err) noexcept
{
	try {
		if (!db)
			return null_arg(err, "gk_xap_wdb_commit");
		if (!db->in_txn) {
			/* Changes made outside a transaction still deserve a
			 * way to reach the disk. */
			db->db.commit();
			return GK_OK;
		}
		/* Xapian ends the transaction even when the commit fails
		 * (discarding it), so the flag must not survive a throw. */
		db->in_txn = false;
		db->db.commit_transaction();
		return GK_OK;
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

gk_status gk_xap_wdb_cancel(gk_xap_wdb *db, gk_error *err) noexcept
{
	try {
		if (!db)
			return null_arg(err, "gk_xap_wdb_cancel");
		if (!db->in_txn)
			return gk_error_set(err, GK_EINVAL,
			                    "database '%s': no transaction is "
			                    "open to cancel",
			                    db->path.c_str());
		db->in_txn = false;
		db->db.cancel_transaction();
		return GK_OK;
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

gk_status gk_xap_wdb_replace(gk_xap_wdb *db, const char *idterm, size_t idlen,
                             const gk_xap_doc *doc, gk_error *err) noexcept
{
	try {
		if (!db || !doc)
			return null_arg(err, "gk_xap_wdb_replace");
		gk_status st = check_term(idterm, idlen, err);
		if (st != GK_OK)
			return st;
		std::string id(idterm, idlen);
		/* Copies of a Xapian::Document share their contents, so adding
		 * the id term to a copy would change the caller's document as
		 * well: add it only if missing and take it off again after. */
		Xapian::Document d = doc->doc;
		Xapian::TermIterator t = d.termlist_begin();
		t.skip_to(id);
		bool had = t != d.termlist_end() && *t == id;
		if (had) {
			db->db.replace_document(id, d);
			return GK_OK;
		}
		d.add_boolean_term(id);
		try {
			db->db.replace_document(id, d);
		} catch (...) {
			d.remove_term(id);
			throw;
		}
		d.remove_term(id);
		return GK_OK;
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

gk_status gk_xap_wdb_delete(gk_xap_wdb *db, const char *term, size_t len,
                            gk_error *err) noexcept
{
	try {
		if (!db)
			return null_arg(err, "gk_xap_wdb_delete");
		gk_status st = check_term(term, len, err);
		if (st != GK_OK)
			return st;
		db->db.delete_document(std::string(term, len));
		return GK_OK;
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

gk_status gk_xap_wdb_set_metadata(gk_xap_wdb *db, const char *key,
                                  const char *val, size_t len,
                                  gk_error *err) noexcept
{
	try {
		if (!db || !key || (!val && len))
			return null_arg(err, "gk_xap_wdb_set_metadata");
		if (!*key)
			return gk_error_set(err, GK_EINVAL,
			                    "metadata key must not be empty");
		db->db.set_metadata(key, std::string(val ? val : "", len));
		return GK_OK;
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

gk_status gk_xap_wdb_get_metadata(gk_xap_wdb *db, const char *key, char **out,
                                  size_t *len, gk_error *err) noexcept
{
	try {
		if (!db || !key || !out)
			return null_arg(err, "gk_xap_wdb_get_metadata");
		*out = nullptr;
		if (!*key)
			return gk_error_set(err, GK_EINVAL,
			                    "metadata key must not be empty");
		return give_string(db->db.get_metadata(key), out, len, err);
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

gk_status gk_xap_wdb_doccount(gk_xap_wdb *db, uint64_t *out,
                              gk_error *err) noexcept
{
	try {
		if (!db || !out)
			return null_arg(err, "gk_xap_wdb_doccount");
		*out = db->db.get_doccount();
		return GK_OK;
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

/* ---- documents ------------------------------------------------------- */

gk_status gk_xap_doc_new(gk_xap_doc **out, gk_error *err) noexcept
{
	try {
		if (!out)
			return null_arg(err, "gk_xap_doc_new");
		*out = nullptr;
		*out = new gk_xap_doc;
		return GK_OK;
	} catch (...) {
		return map_error(err, "");
	}
}

void gk_xap_doc_free(gk_xap_doc *doc) noexcept
{
	try {
		delete doc;
	} catch (...) {
	}
}

gk_status gk_xap_doc_add_posting(gk_xap_doc *doc, const char *term, size_t len,
                                 uint32_t pos, gk_error *err) noexcept
{
	try {
		if (!doc)
			return null_arg(err, "gk_xap_doc_add_posting");
		gk_status st = check_term(term, len, err);
		if (st != GK_OK)
			return st;
		doc->doc.add_posting(std::string(term, len), pos);
		return GK_OK;
	} catch (...) {
		return map_error(err, "");
	}
}

gk_status gk_xap_doc_add_boolean(gk_xap_doc *doc, const char *term, size_t len,
                                 gk_error *err) noexcept
{
	try {
		if (!doc)
			return null_arg(err, "gk_xap_doc_add_boolean");
		gk_status st = check_term(term, len, err);
		if (st != GK_OK)
			return st;
		doc->doc.add_boolean_term(std::string(term, len));
		return GK_OK;
	} catch (...) {
		return map_error(err, "");
	}
}

gk_status gk_xap_doc_add_term(gk_xap_doc *doc, const char *term, size_t len,
                              gk_error *err) noexcept
{
	try {
		if (!doc)
			return null_arg(err, "gk_xap_doc_add_term");
		gk_status st = check_term(term, len, err);
		if (st != GK_OK)
			return st;
		doc->doc.add_term(std::string(term, len));
		return GK_OK;
	} catch (...) {
		return map_error(err, "");
	}
}

gk_status gk_xap_doc_set_value(gk_xap_doc *doc, unsigned slot, const char *val,
                               size_t len, gk_error *err) noexcept
{
	try {
		if (!doc || (!val && len))
			return null_arg(err, "gk_xap_doc_set_value");
		/* Xapian takes this slot number to mean "no slot" elsewhere
		 * and would store the value without complaint. */
		if (slot == Xapian::BAD_VALUENO)
			return gk_error_set(err, GK_EINVAL,
			                    "value slot %u is reserved", slot);
		doc->doc.add_value(slot, std::string(val ? val : "", len));
		return GK_OK;
	} catch (...) {
		return map_error(err, "");
	}
}

gk_status gk_xap_doc_set_data(gk_xap_doc *doc, const char *data, size_t len,
                              gk_error *err) noexcept
{
	try {
		if (!doc || (!data && len))
			return null_arg(err, "gk_xap_doc_set_data");
		doc->doc.set_data(std::string(data ? data : "", len));
		return GK_OK;
	} catch (...) {
		return map_error(err, "");
	}
}

/* ---- read-only database ---------------------------------------------- */

gk_status gk_xap_db_open(gk_xap_db **out, const char *path,
                         gk_error *err) noexcept
{
	try {
		if (!out || !path)
			return null_arg(err, "gk_xap_db_open");
		*out = nullptr;
		auto d = std::make_unique<gk_xap_db>();
		d->path = path;
		/* No backend flag: Xapian then recognises a database
		 * directory as well as a stub file listing shards. */
		d->db = Xapian::Database(d->path);
		*out = d.release();
		return GK_OK;
	} catch (...) {
		return map_error(err, path);
	}
}

void gk_xap_db_free(gk_xap_db *db) noexcept
{
	if (!db)
		return;
	try {
		db->db.close();
	} catch (...) {
	}
	try {
		delete db;
	} catch (...) {
	}
}

gk_status gk_xap_db_doccount(gk_xap_db *db, uint64_t *out,
                             gk_error *err) noexcept
{
	try {
		if (!db || !out)
			return null_arg(err, "gk_xap_db_doccount");
		*out = db->db.get_doccount();
		return GK_OK;
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

gk_status gk_xap_db_termfreq(gk_xap_db *db, const char *term, size_t len,
                             uint64_t *out, gk_error *err) noexcept
{
	try {
		if (!db || !out || (!term && len))
			return null_arg(err, "gk_xap_db_termfreq");
		*out = db->db.get_termfreq(std::string(term ? term : "", len));
		return GK_OK;
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

gk_status gk_xap_db_get_metadata(gk_xap_db *db, const char *key, char **out,
                                 size_t *len, gk_error *err) noexcept
{
	try {
		if (!db || !key || !out)
			return null_arg(err, "gk_xap_db_get_metadata");
		*out = nullptr;
		if (!*key)
			return gk_error_set(err, GK_EINVAL,
			                    "metadata key must not be empty");
		std::string v;
		try {
			v = db->db.get_metadata(key);
		} catch (const Xapian::DatabaseModifiedError &) {
			db->db.reopen();
			v = db->db.get_metadata(key);
		}
		return give_string(v, out, len, err);
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

/* ---- queries --------------------------------------------------------- */

void gk_xap_query_free(gk_xap_query *q) noexcept
{
	try {
		delete q;
	} catch (...) {
	}
}

gk_status gk_xap_query_term(gk_xap_query **out, const char *term, size_t len,
                            gk_error *err) noexcept
{
	try {
		if (!out)
			return null_arg(err, "gk_xap_query_term");
		*out = nullptr;
		/* Xapian reads an empty term as "match everything", which
		 * would silently turn a lost word into every document. An
		 * over-long term is allowed: it simply matches nothing. */
		if (len == 0)
			return gk_error_set(err, GK_EINVAL,
			                    "empty term in query");
		if (!term)
			return null_arg(err, "gk_xap_query_term");
		return new_query(out, Xapian::Query(std::string(term, len)));
	} catch (...) {
		return map_error(err, "");
	}
}

gk_status gk_xap_query_combine(gk_xap_query **out, gk_xap_op op,
                               gk_xap_query *const *subs, size_t n,
                               unsigned window, gk_error *err) noexcept
{
	try {
		if (!out)
			return null_arg(err, "gk_xap_query_combine");
		*out = nullptr;
		if (n == 0)
			return gk_error_set(err, GK_EINVAL,
			                    "cannot combine zero subqueries");
		if (!subs)
			return null_arg(err, "gk_xap_query_combine");
		Xapian::Query::op xop;
		bool windowed = false;
		switch (op) {
		case GK_XAP_AND: xop = Xapian::Query::OP_AND; break;
		case GK_XAP_OR: xop = Xapian::Query::OP_OR; break;
		case GK_XAP_AND_NOT: xop = Xapian::Query::OP_AND_NOT; break;
		case GK_XAP_AND_MAYBE: xop = Xapian::Query::OP_AND_MAYBE; break;
		case GK_XAP_FILTER: xop = Xapian::Query::OP_FILTER; break;
		case GK_XAP_PHRASE:
			xop = Xapian::Query::OP_PHRASE;
			windowed = true;
			break;
		case GK_XAP_NEAR:
			xop = Xapian::Query::OP_NEAR;
			windowed = true;
			break;
		default:
			return gk_error_set(err, GK_EINVAL,
			                    "unknown query operator %d",
			                    (int)op);
		}
		std::vector<Xapian::Query> qs;
		qs.reserve(n);
		for (size_t i = 0; i < n; i++) {
			if (!subs[i])
				return gk_error_set(err, GK_EINVAL,
				                    "subquery %zu of %zu is "
				                    "NULL",
				                    i, n);
			qs.push_back(subs[i]->q);
		}
		Xapian::termcount w = 0;
		if (windowed)
			w = window ? window : clamp_count(n);
		return new_query(out,
		                 Xapian::Query(xop, qs.begin(), qs.end(), w));
	} catch (...) {
		return map_error(err, "");
	}
}

gk_status gk_xap_query_value_range(gk_xap_query **out, unsigned slot,
                                   const char *lo, size_t lolen, const char *hi,
                                   size_t hilen, gk_error *err) noexcept
{
	try {
		if (!out)
			return null_arg(err, "gk_xap_query_value_range");
		*out = nullptr;
		if (lo && hi)
			return new_query(
			    out, Xapian::Query(Xapian::Query::OP_VALUE_RANGE,
			                       slot, std::string(lo, lolen),
			                       std::string(hi, hilen)));
		if (lo)
			return new_query(
			    out, Xapian::Query(Xapian::Query::OP_VALUE_GE, slot,
			                       std::string(lo, lolen)));
		if (hi)
			return new_query(
			    out, Xapian::Query(Xapian::Query::OP_VALUE_LE, slot,
			                       std::string(hi, hilen)));
		return new_query(out, Xapian::Query::MatchAll);
	} catch (...) {
		return map_error(err, "");
	}
}

gk_status gk_xap_query_scale(gk_xap_query **out, const gk_xap_query *q,
                             double factor, gk_error *err) noexcept
{
	try {
		if (!out || !q)
			return null_arg(err, "gk_xap_query_scale");
		*out = nullptr;
		if (!(factor >= 0) || std::isinf(factor))
			return gk_error_set(err, GK_EINVAL,
			                    "weight factor %g is invalid: it "
			                    "must be a finite number >= 0",
			                    factor);
		return new_query(out,
		                 Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT,
		                               q->q, factor));
	} catch (...) {
		return map_error(err, "");
	}
}

gk_status gk_xap_query_match_all(gk_xap_query **out, gk_error *err) noexcept
{
	try {
		if (!out)
			return null_arg(err, "gk_xap_query_match_all");
		*out = nullptr;
		return new_query(out, Xapian::Query::MatchAll);
	} catch (...) {
		return map_error(err, "");
	}
}

gk_status gk_xap_query_match_nothing(gk_xap_query **out, gk_error *err) noexcept
{
	try {
		if (!out)
			return null_arg(err, "gk_xap_query_match_nothing");
		*out = nullptr;
		return new_query(out, Xapian::Query::MatchNothing);
	} catch (...) {
		return map_error(err, "");
	}
}

gk_status gk_xap_sortable_serialise(double value, char *out, size_t *len,
                                    gk_error *err) noexcept
{
	try {
		if (!out || !len)
			return null_arg(err, "gk_xap_sortable_serialise");
		*len = 0;
		if (std::isnan(value))
			return gk_error_set(err, GK_EINVAL,
			                    "not a number: cannot be stored in "
			                    "a value slot");
		std::string s = Xapian::sortable_serialise(value);
		if (s.size() > GK_XAP_SORTABLE_MAX)
			return gk_error_set(err, GK_EINTERNAL,
			                    "sortable form of %g is %zu bytes",
			                    value, s.size());
		std::memcpy(out, s.data(), s.size());
		*len = s.size();
		return GK_OK;
	} catch (...) {
		return map_error(err, "");
	}
}

gk_status gk_xap_query_describe(const gk_xap_query *q, char **out,
                                gk_error *err) noexcept
{
	try {
		if (!q || !out)
			return null_arg(err, "gk_xap_query_describe");
		*out = nullptr;
		std::string s = q->q.get_description();
		char *p = (char *)std::malloc(s.size() + 1);
		if (!p)
			return gk_error_set(err, GK_ENOMEM, "out of memory");
		std::memcpy(p, s.c_str(), s.size() + 1);
		*out = p;
		return GK_OK;
	} catch (...) {
		return map_error(err, "");
	}
}

/* ---- searching -------------------------------------------------------- */

gk_status gk_xap_enquire_new(gk_xap_enquire **out, gk_xap_db *db,
                             gk_error *err) noexcept
{
	try {
		if (!out || !db)
			return null_arg(err, "gk_xap_enquire_new");
		*out = nullptr;
		auto e = std::make_unique<gk_xap_enquire>();
		e->db = db;
		*out = e.release();
		return GK_OK;
	} catch (...) {
		return map_error(err, db ? db->path.c_str() : "");
	}
}

void gk_xap_enquire_free(gk_xap_enquire *e) noexcept
{
	try {
		delete e;
	} catch (...) {
	}
}

gk_status gk_xap_enquire_set_query(gk_xap_enquire *e, const gk_xap_query *q,
                                   gk_error *err) noexcept
{
	try {
		if (!e || !q)
			return null_arg(err, "gk_xap_enquire_set_query");
		e->query = q->q;
		return GK_OK;
	} catch (...) {
		return map_error(err, e ? e->db->path.c_str() : "");
	}
}

gk_status gk_xap_enquire_set_bm25(gk_xap_enquire *e, double k1, double k2,
                                  double k3, double b, double min_normlen,
                                  gk_error *err) noexcept
{
	try {
		if (!e)
			return null_arg(err, "gk_xap_enquire_set_bm25");
		/* Xapian quietly clamps out-of-range parameters; a caller
		 * passing them has a bug or a bad setting worth hearing of. */
		bool ok = std::isfinite(k1) && std::isfinite(k2) &&
		          std::isfinite(k3) && std::isfinite(min_normlen) &&
		          k1 >= 0 && k2 >= 0 && k3 >= 0 && b >= 0 && b <= 1 &&
		          min_normlen >= 0;
		if (!ok)
			return gk_error_set(err, GK_EINVAL,
			                    "invalid BM25 parameters k1=%g "
			                    "k2=%g k3=%g b=%g min_normlen=%g: "
			                    "all must be >= 0 and b at most 1",
			                    k1, k2, k3, b, min_normlen);
		e->k1 = k1;
		e->k2 = k2;
		e->k3 = k3;
		e->b = b;
		e->min_normlen = min_normlen;
		e->have_bm25 = true;
		return GK_OK;
	} catch (...) {
		return map_error(err, e ? e->db->path.c_str() : "");
	}
}

gk_status gk_xap_enquire_set_collapse(gk_xap_enquire *e, unsigned slot,
                                      unsigned max, gk_error *err) noexcept
{
	try {
		if (!e)
			return null_arg(err, "gk_xap_enquire_set_collapse");
		/* Keeping at most zero per value would hide everything, so
		 * zero switches collapsing off instead. */
		e->have_collapse = max != 0;
		e->collapse_slot = slot;
		e->collapse_max = max;
		return GK_OK;
	} catch (...) {
		return map_error(err, e ? e->db->path.c_str() : "");
	}
}

gk_status gk_xap_enquire_set_sort_value(gk_xap_enquire *e, unsigned slot,
                                        int descending, gk_error *err) noexcept
{
	try {
		if (!e)
			return null_arg(err, "gk_xap_enquire_set_sort_value");
		e->have_sort = true;
		e->sort_slot = slot;
		/* Xapian's "reverse" flag: false sorts ascending. */
		e->sort_desc = descending != 0;
		return GK_OK;
	} catch (...) {
		return map_error(err, e ? e->db->path.c_str() : "");
	}
}

gk_status gk_xap_enquire_add_facet(gk_xap_enquire *e, unsigned slot,
                                   size_t *index, gk_error *err) noexcept
{
	try {
		if (!e || !index)
			return null_arg(err, "gk_xap_enquire_add_facet");
		e->facet_slots.push_back(slot);
		*index = e->facet_slots.size() - 1;
		return GK_OK;
	} catch (...) {
		return map_error(err, e ? e->db->path.c_str() : "");
	}
}

gk_status gk_xap_enquire_run(gk_xap_enquire *e, size_t first, size_t max,
                             size_t checkatleast, gk_xap_mset **out,
                             gk_error *err) noexcept
{
	try {
		if (!e || !out)
			return null_arg(err, "gk_xap_enquire_run");
		*out = nullptr;
		auto m = std::make_unique<gk_xap_mset>();
		m->db = e->db;
		Xapian::doccount f = clamp_count(first);
		Xapian::doccount n = clamp_count(max);
		Xapian::doccount c = clamp_count(checkatleast);
		try {
			m->mset = run_once(e, f, n, c);
		} catch (const Xapian::DatabaseModifiedError &) {
			/* The revision this reader was on has been recycled by
			 * a writer: move to the newest one and start over. */
			e->db->db.reopen();
			m->mset = run_once(e, f, n, c);
		}
		m->facets.reserve(e->spies.size());
		for (const auto &spy : e->spies) {
			facet_counts fc;
			for (Xapian::TermIterator v = spy->values_begin();
			     v != spy->values_end(); ++v)
				fc.emplace_back(*v, v.get_termfreq());
			m->facets.push_back(std::move(fc));
		}
		/* The MSet shares the Enquire's internals, which keep raw
		 * pointers to the spies; drop them before the spies can go. */
		e->enq->clear_matchspies();
		*out = m.release();
		return GK_OK;
	} catch (...) {
		return map_error(err, e ? e->db->path.c_str() : "");
	}
}

/* ---- results ---------------------------------------------------------- */

void gk_xap_mset_free(gk_xap_mset *m) noexcept
{
	try {
		delete m;
	} catch (...) {
	}
}

size_t gk_xap_mset_size(const gk_xap_mset *m) noexcept
{
	try {
		return m ? m->mset.size() : 0;
	} catch (...) {
		return 0;
	}
}

void gk_xap_mset_total(const gk_xap_mset *m, size_t *estimated, size_t *lower,
                       size_t *upper) noexcept
{
	size_t est = 0, lo = 0, hi = 0;
	try {
		if (m) {
			est = m->mset.get_matches_estimated();
			lo = m->mset.get_matches_lower_bound();
			hi = m->mset.get_matches_upper_bound();
		}
	} catch (...) {
		est = lo = hi = 0;
	}
	if (estimated)
		*estimated = est;
	if (lower)
		*lower = lo;
	if (upper)
		*upper = hi;
}

gk_status gk_xap_mset_hit(gk_xap_mset *m, size_t i, gk_xap_hit *out,
                          gk_error *err) noexcept
{
	try {
		if (!m || !out)
			return null_arg(err, "gk_xap_mset_hit");
		gk_status st = check_index(m, i, err);
		if (st != GK_OK)
			return st;
		Xapian::MSetIterator it = m->mset[clamp_count(i)];
		out->docid = *it;
		out->rank = it.get_rank();
		out->weight = it.get_weight();
		out->collapse_count = it.get_collapse_count();
		return GK_OK;
	} catch (...) {
		return map_error(err, m ? m->db->path.c_str() : "");
	}
}

gk_status gk_xap_mset_data(gk_xap_mset *m, size_t i, const char **data,
                           size_t *len, gk_error *err) noexcept
{
	try {
		if (!m || !data || !len)
			return null_arg(err, "gk_xap_mset_data");
		gk_status st = check_index(m, i, err);
		if (st != GK_OK)
			return st;
		fetch_doc(m, i, [m](const Xapian::Document &d) {
			m->scratch = d.get_data();
		});
		*data = m->scratch.data();
		*len = m->scratch.size();
		return GK_OK;
	} catch (...) {
		return map_error(err, m ? m->db->path.c_str() : "");
	}
}

gk_status gk_xap_mset_value(gk_xap_mset *m, size_t i, unsigned slot,
                            const char **val, size_t *len,
                            gk_error *err) noexcept
{
	try {
		if (!m || !val || !len)
			return null_arg(err, "gk_xap_mset_value");
		gk_status st = check_index(m, i, err);
		if (st != GK_OK)
			return st;
		fetch_doc(m, i, [m, slot](const Xapian::Document &d) {
			m->scratch = d.get_value(slot);
		});
		*val = m->scratch.data();
		*len = m->scratch.size();
		return GK_OK;
	} catch (...) {
		return map_error(err, m ? m->db->path.c_str() : "");
	}
}

int gk_xap_mset_facets(gk_xap_mset *m, size_t index, gk_xap_facet_cb cb,
                       void *payload, gk_error *err) noexcept
{
	try {
		if (!m || !cb)
			return null_arg(err, "gk_xap_mset_facets");
		if (index >= m->facets.size())
			return gk_error_set(err, GK_EINVAL,
			                    "facet %zu does not exist (%zu "
			                    "facets were counted)",
			                    index, m->facets.size());
		for (const auto &vc : m->facets[index]) {
			int rc = cb(vc.first.data(), vc.first.size(), vc.second,
			            payload);
			if (rc != 0)
				return rc;
		}
		return GK_OK;
	} catch (...) {
		return map_error(err, m ? m->db->path.c_str() : "");
	}
}

int gk_xap_enquire_matching_terms(gk_xap_enquire *e, uint32_t docid,
                                  gk_xap_term_cb cb, void *payload,
                                  gk_error *err) noexcept
{
	try {
		if (!e || !cb)
			return null_arg(err, "gk_xap_enquire_matching_terms");
		if (!e->enq)
			return gk_error_set(
			    err, GK_EINVAL,
			    "no search has run on this enquire");
		for (Xapian::TermIterator t =
		         e->enq->get_matching_terms_begin(docid);
		     t != e->enq->get_matching_terms_end(docid); ++t) {
			std::string term = *t;
			int rc = cb(term.data(), term.size(), payload);
			if (rc)
				return rc;
		}
		return GK_OK;
	} catch (...) {
		return map_error(err, e && e->db ? e->db->path.c_str() : "");
	}
}
