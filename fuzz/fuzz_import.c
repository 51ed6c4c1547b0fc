/*
 * fuzz_import.c: the import's parser of outside input, bytes to records
 * (decoder.c, in two chunks cut where the first byte says, to reach the
 * chunk boundaries) and every rule of the records (with references
 * answered by the document itself).
 */
#include <stdint.h>
#include <string.h>

#include "exchange/decoder.h"

struct doc_refs {
	struct refs base;
	GHashTable *orgs, *people;
};

static bool doc_exists(const struct refs *self, enum ref_kind kind, const char *key)
{
	const struct doc_refs *d = (const struct doc_refs *)self;
	return g_hash_table_contains(kind == REF_ORGANIZATION ? d->orgs : d->people, key);
}

static const char *doc_parent(const struct refs *self, const char *key)
{
	const struct org *o = g_hash_table_lookup(((const struct doc_refs *)self)->orgs, key);
	return o ? o->parent : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a = ARENA_INIT;
	struct document doc = {0};
	struct report decoded, malformed, rules;
	report_init(&decoded);
	report_init(&malformed);
	report_init(&rules);
	static const struct decoder_events none = {NULL, NULL};
	struct decoder *d = decoder_new("fuzz", 32, &a, &doc, &decoded, &malformed, &none, NULL);
	size_t cut = size ? data[0] % (size + 1) : 0;
	bool ok = decoder_feed(d, (const char *)data, cut) &&
		  decoder_feed(d, (const char *)data + cut, size - cut) && decoder_finish(d);
	decoder_free(d);
	if (ok) {
		struct doc_refs refs = {{doc_exists, doc_parent, g_hash_table_new(g_str_hash, g_str_equal)},
					g_hash_table_new(g_str_hash, g_str_equal),
					g_hash_table_new(g_str_hash, g_str_equal)};
		for (size_t i = 0; i < doc.organizations.n; i++)
			if (doc.organizations.v[i].key)
				g_hash_table_insert(refs.orgs, (gpointer)doc.organizations.v[i].key,
						    &doc.organizations.v[i]);
		for (size_t i = 0; i < doc.people.n; i++)
			if (doc.people.v[i].key)
				g_hash_table_add(refs.people, (gpointer)doc.people.v[i].key);
		for (size_t i = 0; i < doc.organizations.n; i++)
			org_check(&doc.organizations.v[i], "organizations", &refs.base, &rules);
		for (size_t i = 0; i < doc.people.n; i++)
			person_check(&doc.people.v[i], "people", &refs.base, &rules);
		for (size_t i = 0; i < doc.programs.n; i++)
			program_check(&doc.programs.v[i], "programs", &refs.base, &rules);
		g_hash_table_destroy(refs.base.org_ancestry);
		g_hash_table_destroy(refs.orgs);
		g_hash_table_destroy(refs.people);
	}
	report_free(&decoded);
	report_free(&malformed);
	report_free(&rules);
	arena_free(&a);
	return 0;
}
