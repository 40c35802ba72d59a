/* Private to the searcher: the open database shared by its files. */
#ifndef GK_Q_PRIVATE_H
#define GK_Q_PRIVATE_H

#include "gk_tok.h"
#include "gk_xap.h"

struct gk_q {
	gk_xap_db *db;
	gk_tok *tok;
};

#endif
