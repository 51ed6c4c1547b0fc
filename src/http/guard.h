/*
 * guard.h: what keeps slow and greedy clients from taking the server's
 * connections. Every connection is tracked from accept to close with the
 * phase it is in; a request head, a body and a kept-alive wait each have a
 * deadline, however slowly bytes trickle in; when the connections near the
 * limit, the oldest idle or unfinished ones are closed to make room; one
 * address may hold only so many. A sweeper thread enforces the deadlines
 * by shutting the socket down, which libmicrohttpd then closes as usual.
 */
#pragma once
#include <microhttpd.h>
#include <stdbool.h>

struct guard_options {
	unsigned soft_limit;   /* connections held before the oldest unfinished ones are closed */
	unsigned per_ip;       /* connections one address may hold */
	unsigned head_ms, idle_ms, body_ms;
	/* true when addr is a trusted proxy's (not limited per address); may be NULL */
	bool (*trusted)(const struct sockaddr *addr);
};

/* Starts the sweeper. */
void guard_start(const struct guard_options *o);
/* Stops it; every connection must be closed by then. */
void guard_stop(void);

/* libmicrohttpd's MHD_OPTION_NOTIFY_CONNECTION callback. */
void guard_notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			     enum MHD_ConnectionNotificationCode code);
/*
 * The peer's numeric address (getnameinfo's NI_NUMERICHOST, "-" when it has
 * none), found once when the connection was accepted; NULL for a connection
 * the guard does not track. Valid until the connection closes.
 */
const char *guard_peer_address(struct MHD_Connection *c);
/* The request line of a request arrived (its head is due within head_ms). */
void guard_request_line(struct MHD_Connection *c);
/* The head is complete: a body is due within body_ms when one was announced. */
void guard_head_complete(struct MHD_Connection *c, bool body);
/* The body arrived whole (or there was none): the handler works. */
void guard_body_complete(struct MHD_Connection *c);
/* The answer was sent: the connection waits for the next request, for idle_ms. */
void guard_request_done(struct MHD_Connection *c);
