/*
 * store.h: the storage interface. Callers (rules, exchange, CLI, web) see
 * only these functions; all SQL lives in the *_store.c files behind them,
 * written once for every backend (SQLite inside; PostgreSQL for several
 * nodes), so callers never know which one they talk to.
 *
 * Conventions: functions return STORE_OK, STORE_NOT_FOUND where they say
 * so, or STORE_ERROR with the message in store_error(). Records read are
 * allocated in the caller's arena. A store is used by one thread at a time.
 */
#pragma once
#include <glib.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "account/account.h"
#include "core/report.h"
#include "org/org.h"
#include "person/person.h"
#include "program/program.h"

struct store;

enum { STORE_OK = 0, STORE_NOT_FOUND = 1, STORE_ERROR = -1 };

enum store_mode {
	STORE_EXISTING, /* the database must exist */
	STORE_CREATE,   /* create it when it does not exist */
};

/*
 * Opens the database at path, migrating its schema to the current one in
 * one transaction. Returns NULL on failure with *error (free with g_free)
 * and *exit_code (66 missing, 65 not a database or a newer schema, 74 I/O,
 * 70 other). *created (may be NULL) tells whether this call made the file.
 */
struct store *store_open(const char *path, enum store_mode mode, bool *created, char **error,
			 int *exit_code);
void store_close(struct store *s);
/* A second connection to the database of s (for another thread); NULL with *error (g_free). */
struct store *store_open_another(const struct store *s, char **error);
/* Makes message the last error of s (another connection could not be opened), as an I/O error. */
void store_note_error(struct store *s, const char *message);
/* Makes the last error of from (another connection to the same database) the last error of to. */
void store_copy_error(struct store *to, const struct store *from);
/* Removes a database file and its -wal, -shm and -journal files (after a failed first import). */
void store_remove_files(const char *path);
/* The schema version the database had before store_open migrated it (0: none), or -1 when it was current. */
int store_migrated_from(const struct store *s);
/* What the store was opened on, for messages: a path, or a connection string without its password. */
const char *store_target(const struct store *s);
/* target as messages may show it (g_free): a PostgreSQL connection string without its password. */
char *store_target_display(const char *target);
/*
 * A database target given on a command line may hold a password (a
 * postgresql:// URI): writes over it in place, so that ps shows it without
 * (the password is still used: the caller keeps its own copy).
 */
void store_target_scrub(char *arg);

/*
 * Calls changed(ctx), from a thread of its own, whenever the database may
 * have changed: a commit by any connection, process or node (SQLite: its
 * files change; PostgreSQL: the notification every commit sends, and every
 * reconnect of the listener, which may have missed some). NULL when it
 * cannot watch: the caller then compares the data version at each request.
 */
struct store_watch;
struct store_watch *store_watch_start(const struct store *s, void (*changed)(void *ctx), void *ctx);
void store_watch_stop(struct store_watch *w);

/*
 * Reads the database's data version: a number that every committed write,
 * by any connection, process or node, makes larger. Pages' ETags are made
 * from it.
 */
int store_data_version(struct store *s, int64_t *version);
/* A write transaction: one writer at a time; others wait here, up to the busy timeout. */
int store_begin(struct store *s);
/*
 * A write transaction of what no page of the public site shows (sign-in
 * sessions): it leaves the data version alone, so pages stay cached, and
 * on PostgreSQL does not wait for a running import.
 */
int store_begin_private(struct store *s);
/*
 * A write transaction for many rows at once (an import): the connection
 * keeps more pages in memory and leaves the database's own checks of
 * references out (every reference a *_store.c binds by key is still
 * checked as it is bound, and the rules have judged them all). Ends with
 * store_commit or store_rollback like any other.
 */
int store_begin_bulk(struct store *s);
/*
 * Within a bulk write into an empty database (a first import, a copy): the
 * transaction takes its tables for itself until it ends (other connections'
 * reads of them wait for it) and checks the references of all its rows at
 * once as it commits, rather than row by row, which is many times faster.
 * Where the database does not allow it (the role does not own the tables)
 * the write goes on row by row; either way STORE_OK unless the database
 * failed.
 */
int store_bulk_take_tables(struct store *s);
/*
 * After many rows written, before reading them in the same transaction:
 * the database learns what its tables hold now (PostgreSQL's planner
 * statistics; a bulk write of many rows also does this as it commits).
 */
int store_refresh_statistics(struct store *s);
/*
 * A read transaction: every query until store_end_read sees one snapshot
 * of the database. Within one, another begins nothing new (the same snapshot)
 * and its end ends nothing but itself; within a write transaction, a read
 * sees what the transaction wrote so far and ends nothing.
 */
int store_begin_read(struct store *s);
void store_end_read(struct store *s);
/* Commits the write transaction, making the data version larger. */
int store_commit(struct store *s);
void store_rollback(struct store *s);
/* The last error, quoting the SQL it came from. */
const char *store_error(const struct store *s);
/* The exit code of the last error: 74 for I/O, locks and a full disk, 65 for a corrupt file, 70 else. */
int store_error_exit_code(const struct store *s);
/* true when the last error says the database cannot be reached now (a web request answers 503). */
bool store_error_is_unavailable(const struct store *s);
/* Runs the database's own integrity and foreign key checks, reporting each problem. */
int store_check_integrity(struct store *s, struct report *r);

/*
 * Copies every row of from (read in one snapshot by the caller) into to
 * (in one write transaction of the caller's), whatever their backends;
 * *rows counts them. On STORE_ERROR *failed is the store whose error it is.
 */
int store_copy(struct store *from, struct store *to, int64_t *rows, struct store **failed);
/* *empty is true when the database holds no Podium data (a new one, or a fresh init). */
int store_is_empty(struct store *s, bool *empty);

/* settings: the stored value of name in *value (g_free), or STORE_NOT_FOUND */
int settings_store_get(struct store *s, const char *name, char **value);
int settings_store_set(struct store *s, const char *name, const char *value);

/* organizations, in the order they were first stored */
int org_store_get(struct store *s, const char *key, struct arena *a, struct org *out);
int org_store_exists(struct store *s, const char *key, bool *exists);
/*
 * The stored organizations among the n keys, in found (a table of the
 * caller's): key -> struct org *, both allocated in a; a few round trips
 * for many keys.
 */
int org_store_find(struct store *s, const char *const *keys, size_t n, struct arena *a,
		   GHashTable *found);
/* The stored organizations whose name or short name is one of the n names, in found as org_store_find. */
int org_store_named(struct store *s, const char *const *names, size_t n, struct arena *a,
		    GHashTable *found);
/* *parent is the parent's key or NULL, allocated in a */
int org_store_parent(struct store *s, const char *key, struct arena *a, const char **parent);
/* insert (without its parent) or update every field but the parent */
int org_store_put(struct store *s, const struct org *o, bool exists);
/* What refers to organization key, one line each ("hosts SLUG"), at most 50. */
int org_store_references(struct store *s, const char *key, struct arena *a, strv *out);
int org_store_delete(struct store *s, const char *key);
int org_store_set_parent(struct store *s, const char *key, const char *parent);
int org_store_each(struct store *s, struct arena *a, int (*fn)(void *ctx, const struct org *o),
		   void *ctx);

/* people, in the order they were first stored */
int person_store_get(struct store *s, const char *key, struct arena *a, struct person *out);
int person_store_exists(struct store *s, const char *key, bool *exists);
/* The stored people among the n keys, in found: key -> struct person *, as org_store_find. */
int person_store_find(struct store *s, const char *const *keys, size_t n, struct arena *a,
		      GHashTable *found);
/*
 * The stored people whose e-mail is one of the n emails in letters of
 * either case (at least in ASCII; the database's lower() may fold more:
 * callers that want ASCII alone compare again), in found as person_store_find.
 */
int person_store_with_emails(struct store *s, const char *const *emails, size_t n, struct arena *a,
			     GHashTable *found);
int person_store_put(struct store *s, const struct person *p, bool exists);
/* What refers to person key, one line each ("enrolled in SLUG"), at most 50. */
int person_store_references(struct store *s, const char *key, struct arena *a, strv *out);
int person_store_delete(struct store *s, const char *key);
/* Forgets who person key is: name replaced, honorific, position and e-mail removed. */
int person_store_anonymise(struct store *s, const char *key);
int person_store_each(struct store *s, struct arena *a,
		      int (*fn)(void *ctx, const struct person *p), void *ctx);

/* Where a person appears in public: items they speak in or are spoken for in, credits of published articles. */
struct appearance {
	const char *program_slug, *program_title, *timezone;
	const char *session_key, *session_title; /* NULL for an article credit */
	int64_t starts_at, ends_at;
	const char *item_title, *role;           /* role: "speaker", "on behalf of", "written by"... */
	const char *article_key, *article_title, *article_created_on; /* NULL for an item */
	translations program_translations, session_translations, item_translations;
};
typedef ARRAY(struct appearance) appearances;

/* What a person's public page shows. */
struct person_view {
	struct person person;
	struct directory directory;  /* the person's organization with its parents */
	appearances appearances;     /* by program, then time */
};
/* The public page of person key; STORE_NOT_FOUND when there is none or they appear nowhere in public. */
int person_store_view(struct store *s, const char *key, struct arena *a, struct person_view *out);

/* programs */
/* The picture of a card: the 480-wide JPEG rendition of a photo's file (NULL file: none). */
struct card_photo {
	const char *file;
	int width, height; /* of that rendition */
};

struct program_card {
	struct card_photo photo; /* the first photo of its newest published article that has one */
	const char *slug, *title, *kind, *mode, *timezone, *starts_on, *ends_on;
	const char *host_name, *host_short_name;
	strv countries;
	translations translations, host_translations; /* the program's, its host's */
};
typedef ARRAY(struct program_card) program_cards;
/* every program with what the list of programs shows, in slug order */
int program_store_cards(struct store *s, struct arena *a, program_cards *out);

struct program_summary {
	const char *slug, *starts_on, *ends_on, *mode, *timezone;
	int64_t sessions, enrolments, articles;
};
typedef ARRAY(struct program_summary) program_summaries;

/* One enrolment as the public counts see it: no name, only where from. */
struct participation {
	const char *role, *status;
	const char *country;      /* the person's, else their organization's; NULL when neither */
	const char *organization; /* the person's organization key, or NULL */
};
typedef ARRAY(struct participation) participations;

/* What a program's page, its calendar and its public API document show. */
struct program_view {
	struct program program;       /* whole: the rules hide what is not public */
	/*
	 * the program's public people (public_appearance: speakers, people spoken
	 * for, credits of published articles) and every organization the view
	 * names (host, organizer, those people's and the participants'), with
	 * their parents
	 */
	struct directory directory;
	participations participation; /* one per enrolment, in order */
};
/* The view of program slug, or STORE_NOT_FOUND. */
int program_store_view(struct store *s, const char *slug, struct arena *a, struct program_view *out);

/* the whole program with everything it holds, or STORE_NOT_FOUND */
int program_store_get(struct store *s, const char *slug, struct arena *a, struct program *out);
int program_store_exists(struct store *s, const char *slug, bool *exists);
/* The stored programs among the n slugs, in found: slug -> slug, allocated in a. */
int program_store_find(struct store *s, const char *const *slugs, size_t n, struct arena *a,
		       GHashTable *found);
/* insert a new program, or replace a stored one whole (its nested arrays too) */
int program_store_put(struct store *s, const struct program *p, bool exists);
/*
 * Replaces the enrolments of the stored program p->slug with p's, in
 * their order (nothing else of the program changes); STORE_NOT_FOUND when
 * there is no such program.
 */
int program_store_put_enrolments(struct store *s, const struct program *p);
/* slugs in the order programs were first stored */
int program_store_slugs(struct store *s, struct arena *a, strv *out);
/* one summary per program in slug order */
int program_store_list(struct store *s, struct arena *a, program_summaries *out);

/* published articles, newest first */
struct article_card {
	struct card_photo photo; /* its first photo with a file */
	const char *program_slug, *program_title, *key, *section, *title, *created_on, *language;
	translations translations; /* the article's versions in other languages */
	int64_t id;                /* its row */
};
typedef ARRAY(struct article_card) article_cards;
/* published articles from offset, at most limit, newest first; *total counts them all */
int news_store_published(struct store *s, struct arena *a, int64_t offset, int64_t limit,
			 article_cards *out, int64_t *total);

/* What an article's page shows. */
struct article_view {
	const char *program_slug, *program_title, *program_starts_on, *program_ends_on;
	struct article article;      /* whatever its status: the page decides what is public */
	struct directory directory;  /* the credited people and their organizations, with parents */
};
/* Article key of program slug; STORE_NOT_FOUND when either is missing. */
int news_store_article_view(struct store *s, const char *slug, const char *key, struct arena *a,
			    struct article_view *out);

/* One step of an article's history (the newsroom's revisions). */
struct article_revision {
	const char *article_key;
	const char *language; /* the version's tag, NULL for the article's own text */
	int64_t number;
	const char *step;   /* save, submit, publish, return, unpublish */
	const char *status; /* the status it gave */
	bool pending;       /* an editor's change to a published article, not the article's row */
	const char *title, *body_markdown;
	int64_t made_at;
	const char *made_by, *made_by_person, *comment; /* the last two may be NULL */
};
typedef ARRAY(struct article_revision) article_revisions;

/* What the newsroom's pages of a program show. */
struct newsroom_view {
	struct program program;      /* as export reads it, its articles whatever their status */
	article_revisions revisions; /* of the article asked for, newest first; else the newest of each version */
	const char *caller_person;   /* the person linked to the caller's account, or NULL */
};
/*
 * The newsroom of program slug for account (its id): with key, the
 * revisions of that article (all its versions), else the newest revision
 * of each version of each article.
 * STORE_NOT_FOUND when there is no such program.
 */
int desk_store_newsroom(struct store *s, const char *slug, const char *key, int64_t account, struct arena *a,
			struct newsroom_view *out);
/* Adds rev (its number the next of its article) to the revisions of the article of program slug. */
int news_store_add_revision(struct store *s, const char *slug, const struct article_revision *rev);
/*
 * Publishes the articles in review whose publish_at is due at now (UTC
 * seconds), each with its revision (made by "schedule"): their revisions
 * in *published, their programs' slugs in *slugs (the same order).
 * Call in a transaction.
 */
int news_store_publish_due(struct store *s, int64_t now, struct arena *a, article_revisions *published,
			   strv *slugs);

/* A published article in a feed. */
struct article_entry {
	const char *program_slug, *program_title;
	const char *updated; /* when it last changed: an RFC 3339 UTC instant */
	struct article article; /* with its photos (its body places them) */
};
/* What an Atom feed shows. */
struct article_feed {
	const char *program_title;          /* a program's feed: the program's title; else NULL */
	ARRAY(struct article_entry) entries; /* newest first */
	struct directory directory;         /* the credited people and their organizations */
};
/*
 * The published articles of program slug (NULL: of every program), newest
 * first, at most limit; STORE_NOT_FOUND when slug names no program.
 */
int news_store_feed(struct store *s, const char *slug, int64_t limit, struct arena *a,
		    struct article_feed *out);

/* A published article's address and when it last changed (an RFC 3339 UTC instant). */
struct article_stamp {
	const char *program_slug, *key, *updated;
};
/* What /sitemap.xml lists besides the fixed pages. */
struct sitemap {
	strv programs;                      /* every program's slug */
	strv people;                        /* the keys of the people who have a page (public_appearance) */
	ARRAY(struct article_stamp) articles; /* the published articles, newest first */
};
int news_store_sitemap(struct store *s, struct arena *a, struct sitemap *out);

/* ------------------------------------------------------------ accounts (account_store.c) */

typedef ARRAY(struct account) accounts;

struct api_token {
	int64_t id;
	const char *email, *name; /* its account's e-mail, its label */
	int64_t created_at;
	struct opt_int used_at;
};
typedef ARRAY(struct api_token) api_tokens;

struct audit_entry {
	int64_t id, at;
	const char *actor;   /* an account's e-mail, or "cli:USER" */
	const char *program; /* slug, or NULL */
	const char *action, *record;
	const char *fields;  /* JSON, or NULL */
};
typedef ARRAY(struct audit_entry) audit_entries;

int account_store_count(struct store *s, int64_t *n);
/* The account of e-mail (lowercased); STORE_NOT_FOUND when none. */
int account_store_get(struct store *s, const char *email, struct arena *a, struct account *out);
/* Every account, by e-mail. */
int account_store_list(struct store *s, struct arena *a, accounts *out);
/* Adds acc (in a write transaction), its new id in *id; STORE_NOT_FOUND when its person is unknown. */
int account_store_add(struct store *s, const struct account *acc, int64_t now, int64_t *id);
/* Stores acc's name, person, admin and disabled; STORE_NOT_FOUND when its person is unknown. */
int account_store_update(struct store *s, const struct account *acc, int64_t now);
int account_store_set_password(struct store *s, int64_t id, const char *hash, int64_t now);
/* The roles account id holds, by program slug. */
int account_store_roles(struct store *s, int64_t id, struct arena *a, account_roles_list *out);
/* The roles account id holds in program slug, and whether that program exists. */
int account_store_program_roles(struct store *s, int64_t id, const char *slug, struct arena *a,
				strv *roles, bool *program_exists);
/* Whether account id manages any program. */
int account_store_manages_any(struct store *s, int64_t id, bool *manages);
/* Grants (or revokes) role in program slug; STORE_NOT_FOUND when there is no such program. */
int account_store_grant(struct store *s, int64_t id, const char *role, const char *slug, bool grant);
/* Sessions, by the hash of their secret (store_begin_private). */
int account_store_session_add(struct store *s, const char *hash, int64_t account, int64_t now);
int account_store_session(struct store *s, const char *hash, struct arena *a, struct account *out,
			  int64_t *created_at, int64_t *seen_at);
int account_store_session_seen(struct store *s, const char *hash, int64_t now);
int account_store_session_end(struct store *s, const char *hash);
/* Ends every session of account, and every session not seen since older_than. */
int account_store_sessions_end(struct store *s, int64_t account, int64_t older_than);
/* API tokens, by the hash of their secret. account 0 lists (or revokes among) everybody's. */
int account_store_token_add(struct store *s, int64_t account, const char *name, const char *hash,
			    int64_t now, int64_t *id);
int account_store_tokens(struct store *s, int64_t account, struct arena *a, api_tokens *out);
int account_store_token_revoke(struct store *s, int64_t id, int64_t account);
/* The account of the token whose hash is hash; STORE_NOT_FOUND when none. */
int account_store_token(struct store *s, const char *hash, struct arena *a, struct account *out);
/*
 * Two-factor sign-in of account id: its secret (NULL: off), the secret being
 * set up (NULL: none) and the last time step a code was taken for.
 */
int account_store_totp(struct store *s, int64_t id, const char *secret, const char *pending, int64_t step,
		       int64_t now);
/*
 * Takes time step step of account id's second factor: STORE_OK when it is
 * later than the last one taken, STORE_NOT_FOUND when not (a code used
 * again, also by a sign-in racing this one) or when the factor is off.
 */
int account_store_totp_take(struct store *s, int64_t id, int64_t step);
/*
 * Sign-in tickets between the password and the code, by the hash of their
 * secret (store_begin_private). Adding one removes those expired by now; a
 * ticket finds its account (not disabled) until expires_at, with the wrong
 * codes tried so far; tried counts one more (end: removes the ticket).
 */
int account_store_ticket_add(struct store *s, const char *hash, int64_t account, int64_t now, int64_t expires_at);
int account_store_ticket(struct store *s, const char *hash, int64_t now, struct arena *a, struct account *out,
			 int64_t *tries);
int account_store_ticket_tried(struct store *s, const char *hash, bool end);
/* Password reset links, by the hash of their secret: one that has not expired finds its account. */
int account_store_reset_add(struct store *s, const char *hash, int64_t account, int64_t expires_at);
int account_store_reset_find(struct store *s, const char *hash, int64_t now, struct arena *a, struct account *out);
/* Ends every link of account, and every expired link. */
int account_store_resets_end(struct store *s, int64_t account, int64_t now);
/* The audit log: adds one entry (in the transaction of the change it records). */
int audit_store_add(struct store *s, const struct audit_entry *e);
/* Entries newest first, of program and actor when not NULL. */
int audit_store_list(struct store *s, const char *program, const char *actor, int64_t offset,
		     int64_t limit, struct arena *a, audit_entries *out);
