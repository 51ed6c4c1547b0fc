/* refs.c: references answered by the store, or by a document and then the store (refs.h). */
#include "exchange/refs.h"

static bool stored_exists(const struct store_refs *sr, enum ref_kind kind, const char *key)
{
	bool exists = false;
	struct store_refs *mutable = (struct store_refs *)sr;
	if (!sr->store) /* nothing stored */
		return false;
	int rc = kind == REF_ORGANIZATION ? org_store_exists(sr->store, key, &exists)
					  : person_store_exists(sr->store, key, &exists);
	mutable->failed |= rc == STORE_ERROR;
	return exists;
}

static const char *stored_parent(const struct store_refs *sr, const char *key)
{
	const char *parent = NULL;
	struct store_refs *mutable = (struct store_refs *)sr;
	if (!sr->store)
		return NULL;
	mutable->failed |= org_store_parent(sr->store, key, sr->arena, &parent) == STORE_ERROR;
	return parent;
}

static bool store_exists(const struct refs *self, enum ref_kind kind, const char *key)
{
	return stored_exists((const struct store_refs *)self, kind, key);
}

static const char *store_org_parent(const struct refs *self, const char *key)
{
	return stored_parent((const struct store_refs *)self, key);
}

void store_refs_init(struct store_refs *sr, struct store *s, struct arena *a)
{
	*sr = (struct store_refs){
		.base = {store_exists, store_org_parent, g_hash_table_new(g_str_hash, g_str_equal)},
		.store = s,
		.arena = a,
	};
}

void store_refs_free(struct store_refs *sr)
{
	if (sr->base.org_ancestry)
		g_hash_table_destroy(sr->base.org_ancestry);
	sr->base.org_ancestry = NULL;
}

static bool document_exists(const struct refs *self, enum ref_kind kind, const char *key)
{
	const struct document_refs *dr = (const struct document_refs *)self;
	GHashTable *local = kind == REF_ORGANIZATION ? dr->orgs : dr->people;
	return g_hash_table_contains(local, key) || stored_exists(&dr->stored, kind, key);
}

static const char *document_org_parent(const struct refs *self, const char *key)
{
	const struct document_refs *dr = (const struct document_refs *)self;
	const struct org *o = g_hash_table_lookup(dr->orgs, key);
	return o ? o->parent : stored_parent(&dr->stored, key);
}

void document_refs_init(struct document_refs *dr, struct store *s, struct arena *a)
{
	store_refs_init(&dr->stored, s, a);
	dr->stored.base.exists = document_exists;
	dr->stored.base.org_parent = document_org_parent;
	dr->orgs = g_hash_table_new(g_str_hash, g_str_equal);
	dr->people = g_hash_table_new(g_str_hash, g_str_equal);
}

void document_refs_free(struct document_refs *dr)
{
	store_refs_free(&dr->stored);
	g_hash_table_destroy(dr->orgs);
	g_hash_table_destroy(dr->people);
}
