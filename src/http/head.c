/* head.c: framing of a request head, and the client behind trusted proxies (head.h). */
#include "http/head.h"

#include "http/guard.h"

#include <gio/gio.h>
#include <netdb.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

/* RFC 9110 token characters, those of a header name. */
static bool is_token(const char *s, size_t len)
{
	if (!len)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!(g_ascii_isalnum(s[i]) || strchr("!#$%&'*+-.^_`|~", s[i])) || !s[i])
			return false;
	return true;
}

struct framing {
	unsigned lengths, encodings;
	const char *length, *encoding;
	bool bad_name, bad_value, lengths_differ;
};

static enum MHD_Result scan_header(void *cls, enum MHD_ValueKind kind, const char *key,
				   size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	struct framing *f = cls;
	f->bad_name |= !is_token(key, key_size);
	for (size_t i = 0; value && i < value_size; i++)
		f->bad_value |= ((unsigned char)value[i] < 0x20 && value[i] != '\t') || value[i] == 0x7f;
	if (g_ascii_strcasecmp(key, "Content-Length") == 0) {
		f->lengths_differ |= f->lengths && strcmp(f->length, value ? value : "") != 0;
		f->lengths++;
		f->length = value ? value : "";
	} else if (g_ascii_strcasecmp(key, "Transfer-Encoding") == 0) {
		f->encodings++;
		f->encoding = value ? value : "";
	}
	return MHD_YES;
}

const char *head_framing_problem(struct MHD_Connection *c, const char *version)
{
	struct framing f = {0};
	MHD_get_connection_values_n(c, MHD_HEADER_KIND, scan_header, &f);
	if (f.bad_name)
		return "A header name is not a token (a space before its colon, say).";
	if (f.bad_value)
		return "A header value holds a control character.";
	if (f.lengths > 1)
		return f.lengths_differ ? "The request has two different Content-Length headers."
					: "The request has Content-Length twice.";
	if (f.encodings && f.lengths)
		return "The request has both Content-Length and Transfer-Encoding.";
	if (f.encodings > 1 || (f.encodings && g_ascii_strcasecmp(f.encoding, "chunked") != 0))
		return "The only Transfer-Encoding taken is chunked.";
	if (f.encodings && version && strcmp(version, MHD_HTTP_VERSION_1_0) == 0)
		return "An HTTP/1.0 request cannot be chunked.";
	return NULL;
}

bool head_announces_body(struct MHD_Connection *c)
{
	const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	const char *encoding = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
							   MHD_HTTP_HEADER_TRANSFER_ENCODING);
	return encoding || (length && strspn(length, "0") != strlen(length));
}

struct proxies {
	GPtrArray *masks; /* GInetAddressMask */
};

struct proxies *proxies_new(const char *setting)
{
	struct proxies *p = g_new0(struct proxies, 1);
	p->masks = g_ptr_array_new_with_free_func(g_object_unref);
	gchar **parts = g_strsplit(setting ? setting : "", ",", -1);
	for (gchar **s = parts; *s; s++) {
		char *one = g_strstrip(*s);
		GInetAddressMask *mask = *one ? g_inet_address_mask_new_from_string(one, NULL) : NULL;
		if (mask)
			g_ptr_array_add(p->masks, mask);
	}
	g_strfreev(parts);
	if (p->masks->len)
		return p;
	proxies_free(p);
	return NULL;
}

void proxies_free(struct proxies *p)
{
	if (!p)
		return;
	g_ptr_array_free(p->masks, TRUE);
	g_free(p);
}

static bool proxies_trust_address(const struct proxies *p, GInetAddress *a)
{
	for (guint i = 0; p && a && i < p->masks->len; i++)
		if (g_inet_address_mask_matches(g_ptr_array_index(p->masks, i), a))
			return true;
	return false;
}

bool proxies_trust(const struct proxies *p, const struct sockaddr *addr)
{
	if (!p || !addr)
		return false;
	GSocketAddress *sa = g_socket_address_new_from_native((gpointer)addr,
							      addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
											  : sizeof(struct sockaddr_in));
	bool trusted = sa && G_IS_INET_SOCKET_ADDRESS(sa) &&
		       proxies_trust_address(p, g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(sa)));
	if (sa)
		g_object_unref(sa);
	return trusted;
}

struct forwarded {
	GPtrArray *hops;  /* the addresses of every X-Forwarded-For, in order */
	const char *proto; /* the last X-Forwarded-Proto */
};

static enum MHD_Result scan_forwarded(void *cls, enum MHD_ValueKind kind, const char *key,
				      size_t key_size, const char *value, size_t value_size)
{
	(void)kind;
	(void)key_size;
	(void)value_size;
	struct forwarded *f = cls;
	if (!value)
		return MHD_YES;
	if (g_ascii_strcasecmp(key, "X-Forwarded-For") == 0) {
		gchar **parts = g_strsplit(value, ",", -1);
		for (gchar **s = parts; *s; s++)
			g_ptr_array_add(f->hops, g_strdup(g_strstrip(*s)));
		g_strfreev(parts);
	} else if (g_ascii_strcasecmp(key, "X-Forwarded-Proto") == 0) {
		f->proto = value;
	}
	return MHD_YES;
}

void head_client(struct MHD_Connection *c, const struct proxies *p, char address[CLIENT_ADDRESS_MAX],
		 bool *https)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *peer = info ? info->client_addr : NULL;
	*https = false;
	/* found once for the connection by the guard: getnameinfo was 3% of a cached page's CPU */
	const char *known = guard_peer_address(c);
	g_strlcpy(address, known ? known : "-", CLIENT_ADDRESS_MAX);
	if (peer && !known)
		getnameinfo(peer, peer->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
							       : sizeof(struct sockaddr_in),
			    address, CLIENT_ADDRESS_MAX, NULL, 0, NI_NUMERICHOST);
	if (!proxies_trust(p, peer))
		return;
	struct forwarded f = {g_ptr_array_new_with_free_func(g_free), NULL};
	MHD_get_connection_values_n(c, MHD_HEADER_KIND, scan_forwarded, &f);
	/* from the nearest hop outwards: the first address that is not a trusted proxy */
	for (guint i = f.hops->len; i-- > 0;) {
		GInetAddress *a = g_inet_address_new_from_string(g_ptr_array_index(f.hops, i));
		bool trusted = proxies_trust_address(p, a);
		if (a && !trusted)
			g_strlcpy(address, g_ptr_array_index(f.hops, i), CLIENT_ADDRESS_MAX);
		if (a)
			g_object_unref(a);
		if (!a || !trusted)
			break;
	}
	*https = f.proto && g_ascii_strcasecmp(f.proto, "https") == 0;
	g_ptr_array_free(f.hops, TRUE);
}
