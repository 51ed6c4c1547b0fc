/*
 * refs.h: the refs (report.h) through which the rules ask about other
 * records: the store's (check, and import's fallback) and the document's
 * first, then the store's (import).
 */
#pragma once
#include "exchange/exchange.h"

struct store_refs {
	struct refs base;
	struct store *store;
	struct arena *arena; /* where parents read from the store live */
	bool failed;         /* a store error happened during a lookup */
};

/* Refs answered by the store s; frees nothing but the ancestry table (store_refs_free). */
void store_refs_init(struct store_refs *sr, struct store *s, struct arena *a);
void store_refs_free(struct store_refs *sr);

struct document_refs {
	struct store_refs stored; /* its base is the refs the rules get */
	GHashTable *orgs;         /* key -> const struct org * of the document */
	GHashTable *people;       /* key -> const struct person * of the document */
};

/* Refs answered by the document first (fill orgs and people), then by the store s (NULL: empty). */
void document_refs_init(struct document_refs *dr, struct store *s, struct arena *a);
void document_refs_free(struct document_refs *dr);
