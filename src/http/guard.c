/*
 * guard.c: deadlines and room for connections (guard.h).
 *
 * The tracker of a connection is created when libmicrohttpd accepts it and
 * freed when it is about to close it (NOTIFY_CLOSED comes before close(),
 * under our lock), so the sweeper's shutdown() never reaches a closed or
 * reused descriptor. Evicting is shutdown(fd, SHUT_RDWR): the socket reads
 * end-of-file and libmicrohttpd closes the connection its usual way.
 * Deadlines are pulled in by up to a quarter at random, so that slow
 * connections opened together do not all come back together.
 */
#include "http/guard.h"

#include <glib.h>
#include <net/if.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

enum phase {
	PHASE_HEAD,  /* waiting for a request head: evictable */
	PHASE_IDLE,  /* kept alive between requests: evictable */
	PHASE_BODY,  /* receiving a body: due by its deadline */
	PHASE_WORK,  /* the handler works or the answer is sent: MHD's own timeout applies */
};

enum {
	SWEEP_MS = 100,
	EVICT_RESERVE = 64,    /* room kept free below the soft limit */
	EVICT_GRACE_MS = 200,  /* a connection younger than this is never evicted to make room */
	EVICT_CROWD = 4,       /* addresses holding this many evictable connections go first */
};

struct ip_entry {
	char key[INET6_ADDRSTRLEN + IF_NAMESIZE]; /* an IPv6 address may carry its zone: fe80::1%eth0 */
	unsigned live, evictable;
	bool trusted;
};

struct tracker {
	GList link;            /* in guard.evictable when its phase is HEAD or IDLE, else busy */
	int fd;
	enum phase phase;
	gint64 since, deadline; /* monotonic ms */
	bool evicted;
	struct ip_entry *ip;
};

static struct {
	struct guard_options o;
	GMutex lock;
	GQueue evictable, busy;  /* struct tracker, oldest phase change first */
	GHashTable *ips;         /* address -> struct ip_entry */
	unsigned live, evicted;  /* connections tracked, and of them shut down and still closing */
	GThread *sweeper;
	GMutex stop_lock;
	GCond stop_cond;
	bool stopping;
} guard;

static gint64 now_ms(void)
{
	return g_get_monotonic_time() / 1000;
}

/* A deadline ms from now, pulled in by up to a quarter. */
static gint64 deadline_in(unsigned ms)
{
	return now_ms() + (gint64)ms - g_random_int_range(0, (gint32)(ms / 4 + 1));
}

static bool phase_evictable(enum phase p)
{
	return p == PHASE_HEAD || p == PHASE_IDLE;
}

static GQueue *queue_of(enum phase p)
{
	return phase_evictable(p) ? &guard.evictable : &guard.busy;
}

/* Moves t to phase p with its deadline (lock held). */
static void set_phase(struct tracker *t, enum phase p, gint64 deadline)
{
	g_queue_unlink(queue_of(t->phase), &t->link);
	if (phase_evictable(t->phase))
		t->ip->evictable--;
	t->phase = p;
	t->since = now_ms();
	t->deadline = deadline;
	g_queue_push_tail_link(queue_of(p), &t->link);
	if (phase_evictable(p))
		t->ip->evictable++;
}

/* Shuts t's socket down (lock held): libmicrohttpd closes the connection. */
static void evict(struct tracker *t)
{
	if (t->evicted)
		return;
	t->evicted = true;
	guard.evicted++;
	shutdown(t->fd, SHUT_RDWR);
}

/*
 * When the connections near the soft limit, closes the oldest evictable
 * one old enough, from a crowded address first (lock held).
 */
static void make_room(void)
{
	gint64 now = now_ms();
	unsigned room = guard.o.soft_limit > EVICT_RESERVE ? guard.o.soft_limit - EVICT_RESERVE
							    : guard.o.soft_limit;
	for (int pass = 0; pass < 2 && guard.live - guard.evicted > room; pass++) {
		for (GList *l = guard.evictable.head; l && guard.live - guard.evicted > room; l = l->next) {
			struct tracker *t = l->data;
			if (t->evicted || now - t->since < EVICT_GRACE_MS)
				continue;
			if (pass == 0 && t->ip->evictable < EVICT_CROWD)
				continue;
			evict(t);
		}
	}
}

static void address_key(const struct sockaddr *a, char key[INET6_ADDRSTRLEN + IF_NAMESIZE])
{
	if (!a || getnameinfo(a, a->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
							  : sizeof(struct sockaddr_in),
			      key, INET6_ADDRSTRLEN + IF_NAMESIZE, NULL, 0, NI_NUMERICHOST) != 0)
		g_strlcpy(key, "-", INET6_ADDRSTRLEN + IF_NAMESIZE);
}

static void connection_started(struct MHD_Connection *c, void **socket_context)
{
	const union MHD_ConnectionInfo *fd = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	const union MHD_ConnectionInfo *addr = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	struct tracker *t = g_new0(struct tracker, 1);
	t->link.data = t;
	t->fd = fd ? fd->connect_fd : -1;
	t->phase = PHASE_HEAD;
	t->since = now_ms();
	t->deadline = deadline_in(guard.o.head_ms);
	*socket_context = t;
	char key[INET6_ADDRSTRLEN + IF_NAMESIZE];
	address_key(addr ? addr->client_addr : NULL, key);
	g_mutex_lock(&guard.lock);
	struct ip_entry *ip = g_hash_table_lookup(guard.ips, key);
	if (!ip) {
		ip = g_new0(struct ip_entry, 1);
		g_strlcpy(ip->key, key, sizeof ip->key);
		ip->trusted = guard.o.trusted && addr && guard.o.trusted(addr->client_addr);
		g_hash_table_insert(guard.ips, ip->key, ip);
	}
	t->ip = ip;
	ip->live++;
	ip->evictable++;
	guard.live++;
	g_queue_push_tail_link(&guard.evictable, &t->link);
	if (t->fd < 0 || (!ip->trusted && ip->live > guard.o.per_ip))
		evict(t); /* one address holds its share already */
	make_room();
	g_mutex_unlock(&guard.lock);
}

static void connection_closed(void **socket_context)
{
	struct tracker *t = *socket_context;
	if (!t)
		return;
	g_mutex_lock(&guard.lock);
	g_queue_unlink(queue_of(t->phase), &t->link);
	if (phase_evictable(t->phase))
		t->ip->evictable--;
	if (--t->ip->live == 0)
		g_hash_table_remove(guard.ips, t->ip->key);
	guard.live--;
	if (t->evicted)
		guard.evicted--;
	g_mutex_unlock(&guard.lock);
	g_free(t);
	*socket_context = NULL;
}

void guard_notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			     enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED)
		connection_started(c, socket_context);
	else
		connection_closed(socket_context);
}

/* The tracker of c (its socket context), or NULL. */
static struct tracker *tracker_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return info ? info->socket_context : NULL;
}

/* Moves c's tracker to phase p, due in ms (0: no deadline of ours). */
static void move(struct MHD_Connection *c, enum phase p, unsigned ms)
{
	struct tracker *t = tracker_of(c);
	if (!t)
		return;
	g_mutex_lock(&guard.lock);
	set_phase(t, p, ms ? deadline_in(ms) : G_MAXINT64);
	g_mutex_unlock(&guard.lock);
}

const char *guard_peer_address(struct MHD_Connection *c)
{
	struct tracker *t = tracker_of(c);
	return t ? t->ip->key : NULL; /* written once under the lock before this connection's first request */
}

void guard_request_line(struct MHD_Connection *c)
{
	struct tracker *t = tracker_of(c);
	if (t && t->phase == PHASE_IDLE)
		move(c, PHASE_HEAD, guard.o.head_ms);
}

void guard_head_complete(struct MHD_Connection *c, bool body)
{
	move(c, body ? PHASE_BODY : PHASE_WORK, body ? guard.o.body_ms : 0);
}

void guard_body_complete(struct MHD_Connection *c)
{
	move(c, PHASE_WORK, 0);
}

void guard_request_done(struct MHD_Connection *c)
{
	move(c, PHASE_IDLE, guard.o.idle_ms);
}

/* Evicts what is past its deadline, and makes room (lock held). */
static void sweep(void)
{
	gint64 now = now_ms();
	for (GList *l = guard.evictable.head; l; l = l->next) {
		struct tracker *t = l->data;
		if (now >= t->deadline)
			evict(t);
	}
	for (GList *l = guard.busy.head; l; l = l->next) {
		struct tracker *t = l->data;
		if (t->phase == PHASE_BODY && now >= t->deadline)
			evict(t);
	}
	make_room();
}

static gpointer sweeper(gpointer unused)
{
	(void)unused;
	g_mutex_lock(&guard.stop_lock);
	while (!guard.stopping) {
		gint64 until = g_get_monotonic_time() + SWEEP_MS * 1000;
		g_cond_wait_until(&guard.stop_cond, &guard.stop_lock, until);
		g_mutex_lock(&guard.lock);
		sweep();
		g_mutex_unlock(&guard.lock);
	}
	g_mutex_unlock(&guard.stop_lock);
	return NULL;
}

void guard_start(const struct guard_options *o)
{
	guard.o = *o;
	g_queue_init(&guard.evictable);
	g_queue_init(&guard.busy);
	guard.ips = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, g_free);
	guard.stopping = false;
	guard.sweeper = g_thread_new("guard", sweeper, NULL);
}

void guard_stop(void)
{
	g_mutex_lock(&guard.stop_lock);
	guard.stopping = true;
	g_cond_signal(&guard.stop_cond);
	g_mutex_unlock(&guard.stop_lock);
	g_thread_join(guard.sweeper);
	g_hash_table_destroy(guard.ips);
}
