/*
 * account_cli.c: `podium user`, `podium role` and `podium token`: accounts,
 * their roles per program and their API tokens, from the command line.
 * Every change is written with its audit entry, by "cli:USER".
 */
#include "account/account_cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "core/values.h"
#include "store/store_cli.h"

/* Who the audit log names for a command: "cli:" and the operating system's user. */
static char *cli_actor(void)
{
	return g_strconcat("cli:", g_get_user_name(), NULL);
}

static int64_t now_utc(void)
{
	return g_get_real_time() / G_USEC_PER_SEC;
}

/* Reads one line of in into *out (g_free), its line end left out; false at the end of input. */
static bool read_line(FILE *in, char **out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, in);
	if (n < 0) {
		free(line);
		return false;
	}
	if (n && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n && line[n - 1] == '\r')
		line[--n] = '\0';
	*out = g_strdup(line);
	explicit_bzero(line, cap);
	free(line);
	return true;
}

/* Asks for a password on the terminal, without echo; NULL when there is no terminal. */
static char *ask_password(const char *prompt)
{
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty)
		return NULL;
	struct termios before, quiet;
	bool echo_off = tcgetattr(fileno(tty), &before) == 0;
	if (echo_off) {
		quiet = before;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		echo_off = tcsetattr(fileno(tty), TCSAFLUSH, &quiet) == 0;
	}
	fprintf(tty, "%s", prompt);
	fflush(tty);
	char *line = NULL;
	bool got = read_line(tty, &line);
	if (echo_off)
		tcsetattr(fileno(tty), TCSAFLUSH, &before);
	fprintf(tty, "\n");
	fclose(tty);
	return got ? line : g_strdup("");
}

/* The new password of a command: one line of stdin, or asked twice on the terminal. NULL after an error. */
static char *new_password(const char *cmd, bool from_stdin)
{
	char *password = NULL;
	if (from_stdin) {
		if (!read_line(stdin, &password)) {
			cli_error("%s: --password-stdin: no line on standard input", cmd);
			return NULL;
		}
	} else {
		password = ask_password("New password: ");
		if (!password) {
			cli_error("%s: no terminal to ask the password on: give it with --password-stdin", cmd);
			return NULL;
		}
		char *again = ask_password("The same password again: ");
		bool same = again && strcmp(again, password) == 0;
		g_free(again);
		if (!same) {
			cli_error("%s: the two passwords differ; nothing was changed", cmd);
			g_free(password);
			return NULL;
		}
	}
	const char *problem = account_password_problem(password);
	if (problem) {
		cli_error("%s: %s; nothing was changed", cmd, problem);
		g_free(password);
		return NULL;
	}
	return password;
}

static void password_free(char *password)
{
	if (password) {
		explicit_bzero(password, strlen(password));
		g_free(password);
	}
}

/* The hash of a command's new password (new_password): EX_OK, or the exit code after saying why not. */
static int new_password_hash(const char *cmd, bool from_stdin, char hash[ACCOUNT_PWHASH_LEN])
{
	char *password = new_password(cmd, from_stdin);
	if (!password)
		return EX_DATAERR;
	bool hashed = account_password_hash(password, hash);
	password_free(password);
	if (!hashed) {
		cli_error("%s: out of memory while hashing the password", cmd);
		return EX_OSERR;
	}
	return EX_OK;
}

/* Ends a write: commits, or prints the store's error and rolls back. Returns the exit code. */
static int finish(const struct cli *c, struct store *s, int rc, const char *not_found)
{
	if (rc == STORE_OK && store_commit(s) == STORE_OK)
		return EX_OK;
	int code;
	if (rc == STORE_NOT_FOUND) {
		cli_error("%s", not_found);
		code = EX_DATAERR;
	} else {
		code = cli_store_error(c, s);
	}
	store_rollback(s);
	return code;
}

/* Writes an audit entry of the running command. */
static int audit(struct store *s, const char *program, const char *action, const char *record,
		 json_t *fields)
{
	char *actor = cli_actor();
	char *text = fields ? json_dumps(fields, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	struct audit_entry e = {.at = now_utc(), .actor = actor, .program = program, .action = action,
				.record = record, .fields = text};
	int rc = audit_store_add(s, &e);
	g_free(actor);
	free(text);
	json_decref(fields);
	return rc;
}

/* Looks up the account of a command's EMAIL argument in a write transaction; prints why not. */
static int find_account(const char *cmd, struct store *s, const char *typed, struct arena *a,
			struct account *out)
{
	const char *email, *problem;
	if (!account_email_normal(typed, a, &email, &problem)) {
		cli_error("%s: '%s': %s", cmd, typed, problem);
		return STORE_NOT_FOUND;
	}
	int rc = account_store_get(s, email, a, out);
	if (rc == STORE_NOT_FOUND)
		cli_error("%s: there is no account '%s' (podium user list)", cmd, email);
	return rc;
}

/*
 * Begins a write transaction and finds the account of typed (find_account):
 * STORE_OK, or STORE_ERROR (finish() reports it), or STORE_NOT_FOUND, said
 * and rolled back (the command exits EX_DATAERR).
 */
static int begin_with_account(const char *cmd, struct store *s, const char *typed, struct arena *a,
			      struct account *out)
{
	int rc = store_begin(s);
	if (rc == STORE_OK)
		rc = find_account(cmd, s, typed, a, out);
	if (rc == STORE_NOT_FOUND)
		store_rollback(s);
	return rc;
}

/* ------------------------------------------------------------ user */

static int user_add(struct cli *c, struct store *s, struct arena *a)
{
	struct account acc = {0};
	bool from_stdin = false;
	const char *email_arg = NULL;
	for (int i = 2; i < c->argc; i++) {
		const char *arg = c->argv[i];
		if (strcmp(arg, "--name") == 0 && i + 1 < c->argc)
			acc.name = c->argv[++i];
		else if (strcmp(arg, "--person") == 0 && i + 1 < c->argc)
			acc.person = c->argv[++i];
		else if (strcmp(arg, "--admin") == 0)
			acc.admin = true;
		else if (strcmp(arg, "--password-stdin") == 0)
			from_stdin = true;
		else if (arg[0] != '-' && !email_arg)
			email_arg = arg;
		else
			return cli_error("user add: unknown argument '%s'", arg), cli_usage(c);
	}
	const char *problem;
	if (!email_arg || !acc.name)
		return cli_error("user add: expected EMAIL --name NAME"), cli_usage(c);
	if (!account_email_normal(email_arg, a, &acc.email, &problem))
		return cli_error("user add: '%s': %s", email_arg, problem), EX_DATAERR;
	if ((problem = account_name_problem(acc.name)))
		return cli_error("user add: --name: %s", problem), EX_DATAERR;
	char hash[ACCOUNT_PWHASH_LEN];
	int code = new_password_hash("user add", from_stdin, hash);
	if (code != EX_OK)
		return code;
	acc.password_hash = hash;
	if (store_begin(s) != STORE_OK)
		return cli_store_error(c, s);
	struct account existing;
	int rc = account_store_get(s, acc.email, a, &existing);
	if (rc == STORE_OK) {
		store_rollback(s);
		cli_error("user add: there is already an account '%s'", acc.email);
		return EX_DATAERR;
	}
	int64_t id;
	if (rc == STORE_NOT_FOUND)
		rc = account_store_add(s, &acc, now_utc(), &id);
	if (rc == STORE_OK)
		rc = audit(s, NULL, "create", arena_printf(a, "account %s", acc.email),
			   json_pack("{s:s,s:b,s:s?}", "name", acc.name, "admin", acc.admin, "person", acc.person));
	char *missing = g_strdup_printf("user add: --person: there is no person '%s'", acc.person ? acc.person : "");
	code = finish(c, s, rc, missing);
	g_free(missing);
	if (code == EX_OK)
		printf("added %s%s\n", acc.email, acc.admin ? " (admin)" : "");
	return code;
}

static int user_list(struct cli *c, struct store *s, struct arena *a)
{
	if (c->argc != 2)
		return cli_error("user list: expected no argument"), cli_usage(c);
	accounts list = {0};
	if (store_begin_read(s) != STORE_OK || account_store_list(s, a, &list) != STORE_OK) {
		store_end_read(s);
		return cli_store_error(c, s);
	}
	for (size_t i = 0; i < list.n; i++) {
		const struct account *acc = &list.v[i];
		account_roles_list roles = {0};
		if (account_store_roles(s, acc->id, a, &roles) != STORE_OK) {
			store_end_read(s);
			return cli_store_error(c, s);
		}
		GString *line = g_string_new(NULL);
		g_string_printf(line, "%s\t%s\t%s%s", acc->email, acc->name,
				acc->disabled ? "disabled" : acc->admin ? "admin" : acc->totp_secret ? "" : "-",
				!acc->totp_secret ? "" : acc->disabled || acc->admin ? ",2fa" : "2fa");
		g_string_append_c(line, '\t');
		for (size_t j = 0; j < roles.n; j++)
			g_string_append_printf(line, "%s%s:%s", j ? "," : "", roles.v[j].role, roles.v[j].slug);
		if (!roles.n)
			g_string_append_c(line, '-');
		g_string_append_printf(line, "\t%s\n", acc->person ? acc->person : "-");
		fputs(line->str, stdout);
		g_string_free(line, TRUE);
	}
	store_end_read(s);
	return EX_OK;
}

static int user_passwd(struct cli *c, struct store *s, struct arena *a)
{
	bool from_stdin = c->argc == 4 && strcmp(c->argv[3], "--password-stdin") == 0;
	if (c->argc != 3 && !from_stdin)
		return cli_error("user passwd: expected EMAIL [--password-stdin]"), cli_usage(c);
	char hash[ACCOUNT_PWHASH_LEN];
	int code = new_password_hash("user passwd", from_stdin, hash);
	if (code != EX_OK)
		return code;
	struct account acc;
	int rc = begin_with_account("user passwd", s, c->argv[2], a, &acc);
	if (rc == STORE_NOT_FOUND)
		return EX_DATAERR;
	if (rc == STORE_OK)
		rc = account_store_set_password(s, acc.id, hash, now_utc());
	/* whoever signed in with the old password is out */
	if (rc == STORE_OK)
		rc = account_store_sessions_end(s, acc.id, 0);
	if (rc == STORE_OK)
		rc = audit(s, NULL, "update", arena_printf(a, "account %s", acc.email),
			   json_pack("{s:s}", "password", "changed"));
	code = finish(c, s, rc, "");
	if (code == EX_OK)
		printf("changed the password of %s\n", acc.email);
	return code;
}

static int user_enable(struct cli *c, struct store *s, struct arena *a, bool enable)
{
	const char *cmd = enable ? "user enable" : "user disable";
	if (c->argc != 3)
		return cli_error("%s: expected EMAIL", cmd), cli_usage(c);
	struct account acc;
	int rc = begin_with_account(cmd, s, c->argv[2], a, &acc);
	if (rc == STORE_NOT_FOUND)
		return EX_DATAERR;
	acc.disabled = !enable;
	if (rc == STORE_OK)
		rc = account_store_update(s, &acc, now_utc());
	if (rc == STORE_OK && !enable)
		rc = account_store_sessions_end(s, acc.id, 0);
	if (rc == STORE_OK)
		rc = audit(s, NULL, "update", arena_printf(a, "account %s", acc.email),
			   json_pack("{s:b}", "disabled", !enable));
	int code = finish(c, s, rc, "");
	if (code == EX_OK)
		printf("%s %s\n", enable ? "enabled" : "disabled", acc.email);
	return code;
}

/* user reset EMAIL: a one-time link that sets a new password, valid a day. */
static int user_reset(struct cli *c, struct store *s, struct arena *a)
{
	if (c->argc != 3)
		return cli_error("user reset: expected EMAIL"), cli_usage(c);
	char secret[ACCOUNT_SECRET_LEN + 1], hash[ACCOUNT_HASH_LEN + 1];
	account_secret_new(secret);
	account_secret_hash(secret, hash);
	struct account acc;
	int rc = begin_with_account("user reset", s, c->argv[2], a, &acc);
	if (rc == STORE_NOT_FOUND)
		return EX_DATAERR;
	int64_t now = now_utc();
	if (rc == STORE_OK)
		rc = account_store_resets_end(s, acc.id, now);
	if (rc == STORE_OK)
		rc = account_store_reset_add(s, hash, acc.id, now + ACCOUNT_RESET_SECONDS);
	if (rc == STORE_OK)
		rc = audit(s, NULL, "reset", arena_printf(a, "account %s", acc.email),
			   json_pack("{s:s}", "link", "made, valid 24 hours"));
	int code = finish(c, s, rc, "");
	if (code == EX_OK) {
		printf("/reset/%s\n", secret);
		fprintf(stderr, "podium: a one-time link for %s, valid 24 hours: give it to them with the "
				"site's address in front (https://SITE/reset/...)\n", acc.email);
	}
	explicit_bzero(secret, sizeof secret);
	return code;
}

/* user totp-off EMAIL: turns two-factor sign-in off (a lost phone); the password alone signs in again. */
static int user_totp_off(struct cli *c, struct store *s, struct arena *a)
{
	if (c->argc != 3)
		return cli_error("user totp-off: expected EMAIL"), cli_usage(c);
	struct account acc;
	int rc = begin_with_account("user totp-off", s, c->argv[2], a, &acc);
	if (rc == STORE_NOT_FOUND)
		return EX_DATAERR;
	bool was_on = rc == STORE_OK && acc.totp_secret;
	if (rc == STORE_OK)
		rc = account_store_totp(s, acc.id, NULL, NULL, acc.totp_step, now_utc());
	if (rc == STORE_OK && was_on)
		rc = audit(s, NULL, "update", arena_printf(a, "account %s", acc.email),
			   json_pack("{s:s}", "two-factor", "off"));
	int code = finish(c, s, rc, "");
	if (code == EX_OK)
		printf(was_on ? "turned two-factor sign-in off for %s\n" : "two-factor sign-in was off for %s\n",
		       acc.email);
	return code;
}

int account_cli_user(struct cli *c)
{
	static const char *const subcommands[] = {"add", "list", "passwd", "disable", "enable", "reset", "totp-off"};
	if (c->argc < 2)
		return cli_error("user: expected one of add, list, passwd, disable, enable, reset, totp-off"),
		       cli_usage(c);
	const char *sub = c->argv[1];
	size_t which = 0;
	while (which < G_N_ELEMENTS(subcommands) && strcmp(sub, subcommands[which]) != 0)
		which++;
	if (which == G_N_ELEMENTS(subcommands)) {
		const char *near = cli_suggest(sub, subcommands, G_N_ELEMENTS(subcommands));
		cli_error("user: unknown subcommand '%s'%s%s%s", sub, near ? "; did you mean '" : "",
			  near ? near : "", near ? "'?" : "");
		return cli_usage(c);
	}
	if (!account_init())
		return cli_error("user: libsodium cannot start"), EX_SOFTWARE;
	int code = EX_OK;
	struct store *s = cli_open_store(c, which == 0 ? STORE_CREATE : STORE_EXISTING, NULL, &code);
	if (!s)
		return code;
	struct arena a = ARENA_INIT;
	switch (which) {
	case 0: code = user_add(c, s, &a); break;
	case 1: code = user_list(c, s, &a); break;
	case 2: code = user_passwd(c, s, &a); break;
	case 5: code = user_reset(c, s, &a); break;
	case 6: code = user_totp_off(c, s, &a); break;
	default: code = user_enable(c, s, &a, which == 4); break;
	}
	arena_free(&a);
	store_close(s);
	return code;
}

/* ------------------------------------------------------------ role */

int account_cli_role(struct cli *c)
{
	if (c->argc != 5 || (strcmp(c->argv[1], "grant") != 0 && strcmp(c->argv[1], "revoke") != 0))
		return cli_error("role: expected grant|revoke EMAIL ROLE SLUG"), cli_usage(c);
	bool grant = strcmp(c->argv[1], "grant") == 0;
	const char *role = c->argv[3], *slug = c->argv[4];
	if (!value_in(role, account_roles)) {
		const char *near = cli_suggest(role, account_roles, 3);
		cli_error("role: '%s' is not a role: expected editor, reviewer or manager%s%s%s", role,
			  near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
		return EX_USAGE;
	}
	int code = EX_OK;
	struct store *s = cli_open_store(c, STORE_EXISTING, NULL, &code);
	if (!s)
		return code;
	struct arena a = ARENA_INIT;
	struct account acc;
	int rc = begin_with_account("role", s, c->argv[2], &a, &acc);
	if (rc == STORE_NOT_FOUND) {
		code = EX_DATAERR;
	} else {
		if (rc == STORE_OK)
			rc = account_store_grant(s, acc.id, role, slug, grant);
		if (rc == STORE_OK)
			rc = audit(s, slug, grant ? "grant" : "revoke", arena_printf(&a, "account %s", acc.email),
				   json_pack("{s:s}", "role", role));
		char *missing = g_strdup_printf("role: there is no program '%s' (podium list)", slug);
		code = finish(c, s, rc, missing);
		g_free(missing);
		if (code == EX_OK)
			printf("%s %s %s of %s\n", grant ? "granted" : "revoked", acc.email, role, slug);
	}
	arena_free(&a);
	store_close(s);
	return code;
}

/* ------------------------------------------------------------ token */

static int token_add(struct cli *c, struct store *s, struct arena *a)
{
	const char *email = NULL, *label = "API token";
	for (int i = 2; i < c->argc; i++) {
		if (strcmp(c->argv[i], "--name") == 0 && i + 1 < c->argc)
			label = c->argv[++i];
		else if (c->argv[i][0] != '-' && !email)
			email = c->argv[i];
		else
			return cli_error("token add: unknown argument '%s'", c->argv[i]), cli_usage(c);
	}
	if (!email)
		return cli_error("token add: expected EMAIL [--name LABEL]"), cli_usage(c);
	if (!*label || value_length(label) > 200 || !g_utf8_validate(label, -1, NULL))
		return cli_error("token add: --name: a label of 1 to 200 characters is required"), EX_DATAERR;
	char secret[ACCOUNT_SECRET_LEN + 1], hash[ACCOUNT_HASH_LEN + 1];
	account_secret_new(secret);
	account_secret_hash(secret, hash);
	struct account acc;
	int64_t id = 0;
	int rc = begin_with_account("token add", s, email, a, &acc);
	if (rc == STORE_NOT_FOUND)
		return EX_DATAERR;
	if (rc == STORE_OK)
		rc = account_store_token_add(s, acc.id, label, hash, now_utc(), &id);
	if (rc == STORE_OK)
		rc = audit(s, NULL, "create", arena_printf(a, "token %lld of %s", (long long)id, acc.email),
			   json_pack("{s:s}", "name", label));
	int code = finish(c, s, rc, "");
	if (code == EX_OK) {
		printf("%s\n", secret);
		fprintf(stderr, "podium: token %lld of %s: shown once, keep it now\n", (long long)id, acc.email);
	}
	explicit_bzero(secret, sizeof secret);
	return code;
}

static int token_list(struct cli *c, struct store *s, struct arena *a)
{
	if (c->argc > 3)
		return cli_error("token list: expected [EMAIL]"), cli_usage(c);
	struct account acc = {0};
	if (c->argc == 3 && find_account("token list", s, c->argv[2], a, &acc) != STORE_OK)
		return EX_DATAERR;
	api_tokens list = {0};
	if (account_store_tokens(s, acc.id, a, &list) != STORE_OK)
		return cli_store_error(c, s);
	for (size_t i = 0; i < list.n; i++) {
		GDateTime *t = g_date_time_new_from_unix_utc(list.v[i].created_at);
		char *when = t ? g_date_time_format(t, "%Y-%m-%d") : g_strdup("?");
		printf("%lld\t%s\t%s\tcreated %s\n", (long long)list.v[i].id, list.v[i].email, list.v[i].name, when);
		g_free(when);
		if (t)
			g_date_time_unref(t);
	}
	return EX_OK;
}

static int token_revoke(struct cli *c, struct store *s, struct arena *a)
{
	char *end;
	long long id = c->argc == 3 ? strtoll(c->argv[2], &end, 10) : 0;
	if (c->argc != 3 || *end || id < 1)
		return cli_error("token revoke: expected the token's number (podium token list)"), cli_usage(c);
	int rc = store_begin(s);
	if (rc == STORE_OK)
		rc = account_store_token_revoke(s, id, 0);
	if (rc == STORE_OK)
		rc = audit(s, NULL, "delete", arena_printf(a, "token %lld", id), NULL);
	char *missing = g_strdup_printf("token revoke: there is no token %lld (podium token list)", id);
	int code = finish(c, s, rc, missing);
	g_free(missing);
	if (code == EX_OK)
		printf("revoked token %lld\n", id);
	return code;
}

int account_cli_token(struct cli *c)
{
	static const char *const subcommands[] = {"add", "list", "revoke"};
	if (c->argc < 2)
		return cli_error("token: expected one of add, list, revoke"), cli_usage(c);
	size_t which = 0;
	while (which < G_N_ELEMENTS(subcommands) && strcmp(c->argv[1], subcommands[which]) != 0)
		which++;
	if (which == G_N_ELEMENTS(subcommands)) {
		cli_error("token: unknown subcommand '%s': expected add, list or revoke", c->argv[1]);
		return cli_usage(c);
	}
	if (!account_init())
		return cli_error("token: libsodium cannot start"), EX_SOFTWARE;
	int code = EX_OK;
	struct store *s = cli_open_store(c, STORE_EXISTING, NULL, &code);
	if (!s)
		return code;
	struct arena a = ARENA_INIT;
	code = which == 0 ? token_add(c, s, &a) : which == 1 ? token_list(c, s, &a) : token_revoke(c, s, &a);
	arena_free(&a);
	store_close(s);
	return code;
}
