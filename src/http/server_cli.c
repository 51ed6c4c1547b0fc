/* server_cli.c: `podium serve [--listen ADDR:PORT] [--threads N]`. */
#include <stdlib.h>
#include <string.h>

#include "http/server.h"
#include "http/server_cli.h"
#include "settings/settings.h"
#include "store/store_cli.h"

enum { TICK_SECONDS = 30 };

int server_cli_serve(struct cli *c, route_tables routes, const struct auth *auth,
		     int (*tick)(struct store *s, int64_t now))
{
	struct server_options o = {.db_path = c->db_path, .routes = routes, .auth = auth, .listen = "127.0.0.1:8080",
				   .threads = g_get_num_processors(), .tick = tick, .tick_seconds = TICK_SECONDS};
	for (int i = 1; i < c->argc; i++) {
		const char *arg = c->argv[i];
		if (strcmp(arg, "--listen") == 0 && i + 1 < c->argc) {
			o.listen = c->argv[++i];
		} else if (strcmp(arg, "--threads") == 0 && i + 1 < c->argc) {
			char *end;
			long n = strtol(c->argv[++i], &end, 10);
			if (*end || n < 1 || n > 256)
				return cli_error("serve: --threads takes a number from 1 to 256"), cli_usage(c);
			o.threads = (unsigned)n;
		} else {
			return cli_error("serve: unknown argument '%s'", arg), cli_usage(c);
		}
	}
	int code = EX_OK;
	struct store *s = cli_open_store(c, STORE_EXISTING, NULL, &code);
	if (!s)
		return code;
	long long cache, max_connections, per_ip, head, idle, body, form_limit, json_limit, file_limit;
	char *proxies = NULL, *site_language = NULL, *content_language = NULL;
	if (settings_get(s, "server.cache_bytes", &cache) != STORE_OK ||
	    settings_get(s, "server.max_connections", &max_connections) != STORE_OK ||
	    settings_get(s, "server.max_connections_per_ip", &per_ip) != STORE_OK ||
	    settings_get(s, "server.head_timeout", &head) != STORE_OK ||
	    settings_get(s, "server.idle_timeout", &idle) != STORE_OK ||
	    settings_get(s, "server.body_timeout", &body) != STORE_OK ||
	    settings_get(s, "server.max_form_bytes", &form_limit) != STORE_OK ||
	    settings_get(s, "api.max_body_bytes", &json_limit) != STORE_OK ||
	    settings_get(s, "photos.max_bytes", &file_limit) != STORE_OK ||
	    settings_get_text(s, "server.trusted_proxies", &proxies) != STORE_OK ||
	    settings_get_text(s, "site.language", &site_language) != STORE_OK ||
	    settings_get_text(s, "site.content_language", &content_language) != STORE_OK) {
		code = cli_store_error(c, s);
		store_close(s);
		return code;
	}
	store_close(s);
	o.cache_bytes = (size_t)cache;
	o.max_connections = (unsigned)max_connections;
	o.max_per_ip = (unsigned)per_ip;
	o.head_timeout = (unsigned)head;
	o.idle_timeout = (unsigned)idle;
	o.body_timeout = (unsigned)body;
	o.form_limit = (uint64_t)form_limit;
	o.json_limit = (uint64_t)json_limit;
	o.file_limit = (uint64_t)file_limit;
	o.trusted_proxies = proxies;
	o.site_language = site_language;
	o.content_language = content_language;
	code = server_run(&o);
	g_free(proxies);
	g_free(site_language);
	g_free(content_language);
	return code;
}
