/*
 * head.h: a request's head judged before anything of its body is read:
 * the framing that request smuggling plays with (libmicrohttpd 0.9.75
 * takes the first of two Content-Length headers and keeps the connection
 * open with Content-Length and Transfer-Encoding both), and who the client
 * is when a trusted proxy stands in front.
 */
#pragma once
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdbool.h>

/*
 * NULL when the framing of c's head is unambiguous; else why not (a static
 * sentence): two Content-Length headers, Content-Length with
 * Transfer-Encoding, a Transfer-Encoding other than chunked (or on
 * HTTP/1.0), a header name that is not a token (MHD keeps "Content-Length "
 * as another header), a control character in a header value.
 */
const char *head_framing_problem(struct MHD_Connection *c, const char *version);
/* true when c's head announces a body (a Content-Length above 0, or chunked). */
bool head_announces_body(struct MHD_Connection *c);

/* The proxies whose X-Forwarded-For and X-Forwarded-Proto are believed. */
struct proxies;
/* From the server.trusted_proxies setting ("127.0.0.1, 10.0.0.0/8"); NULL when it names none. */
struct proxies *proxies_new(const char *setting);
void proxies_free(struct proxies *p);
/* true when addr is one of p's (p may be NULL: none). */
bool proxies_trust(const struct proxies *p, const struct sockaddr *addr);

enum { CLIENT_ADDRESS_MAX = 64 };

/*
 * The client of c: the peer's address, or, when the peer is a trusted
 * proxy, the nearest address of X-Forwarded-For that is not one, and
 * whether the client spoke https (X-Forwarded-Proto).
 */
void head_client(struct MHD_Connection *c, const struct proxies *p, char address[CLIENT_ADDRESS_MAX],
		 bool *https);
