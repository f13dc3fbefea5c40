/*
 * repsite: run one site of a Replication Manager group, to prove that a
 * master/replicant DB_CONFIG pair really replicates.
 *   repsite master|client HOME [N] [--timeout SEC] [--serve] [--from K]
 * Opens HOME with DB_CREATE|DB_RECOVER|DB_THREAD|DB_INIT_{REP,TXN,LOCK,LOG,MPOOL};
 * sites, priority and ack policy come from HOME/DB_CONFIG only.
 * master: wait for a client to connect, write N records (key "i", value "value-i",
 *   i = K..K+N-1, K = 0 unless --from K: a later master adds to what an earlier one
 *   wrote) to the btree demo.db, then serve until stdin reaches end-of-file
 *   (the parent's "done" signal, also sent if it dies) or SIGTERM.
 * client: wait for STARTUPDONE and for demo.db to hold N records, check every
 *   pair, check that a put is refused with EACCES. With --serve, a client that
 *   verified says so on stderr and then stays in the group, as the master does,
 *   until stdin reaches end-of-file (a site joining later needs it running).
 * Every wait gives up after SEC seconds (default 20) and says why. At exit one JSON
 * line goes to stdout ({"role","records","verified","writeRefused","status"} for a
 * client; "error" on failure), BDB messages and events to stderr. Exit 0 ok, 1 not, 2 usage.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <db.h>

#define OPEN_FLAGS (DB_CREATE | DB_RECOVER | DB_THREAD | DB_INIT_REP | DB_INIT_TXN | \
    DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL)
#define DEMO_DB "demo.db"
#define BATCH 500		/* records per transaction: one ack wait each */
#define NAP_US 20000
/* Errors that only mean "try again shortly" while a replica joins or syncs. */
#define TRANSIENT(ret) ((ret) == DB_LOCK_DEADLOCK || (ret) == DB_LOCK_NOTGRANTED || \
    (ret) == DB_REP_HANDLE_DEAD || (ret) == DB_REP_LOCKOUT || (ret) == ENOENT)
/* Point dbt at buf, formatted from fmt and i; evaluates to &dbt. */
#define FILL(dbt, buf, fmt, i) (memset(&(dbt), 0, sizeof(dbt)), (dbt).data = (buf), \
    (dbt).size = (u_int32_t)snprintf((buf), sizeof(buf), (fmt), (i)), &(dbt))

static const char *role = "?";
static double timeout_s = 20;
static volatile sig_atomic_t stopping, blocked;	/* blocked: inside repmgr_start */
static char stuck[160];		/* the JSON line for a repmgr_start that never returns */
static int connected, startupdone, permfailed, panicked;	/* counted by BDB threads */
static char why[512];		/* the first reason for failure */
static int records, verified, refused;	/* the result */
static const char *status = "unknown";
static int serve;		/* client: stay until the done signal */
static int first_key;		/* --from: the master's first key */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_sec + ts.tv_nsec / 1e9);
}

/* Record the first failure (it ends up in the JSON line); returns 1. */
static int fail(const char *what, int ret)
{
	char *p;
	if (why[0] == '\0') {
		snprintf(why, sizeof(why), "%s%s%s", what, ret ? ": " : "", ret ? db_strerror(ret) : "");
		for (p = why; *p != '\0'; p++)	/* keep the JSON valid */
			if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
				*p = '\'';
	}
	fprintf(stderr, "repsite[%s]: %s\n", role, why);
	return (1);
}

/* NOTE: repmgr_start can block for good (a helper that accepts but never answers). */
static void on_signal(int sig)
{
	if ((stopping = sig) && blocked)
		(void)!write(1, stuck, strlen(stuck)), _exit(1);
}
static void on_error(const DB_ENV *env, const char *prefix, const char *msg)
{ (void)env, (void)prefix, fprintf(stderr, "repsite[%s]: %s\n", role, msg); }

static void on_event(DB_ENV *env, u_int32_t which, void *info)
{
	static const char *names[] = { "PANIC", "REG_ALIVE", "REG_PANIC", "CLIENT", "CONNECT_BROKEN",
	    "CONNECT_ESTD", "CONNECT_TRY_FAILED", "DUPMASTER", "ELECTED", "ELECTION_FAILED",
	    "INIT_DONE", "JOIN_FAILURE", "LOCAL_SITE_REMOVED", "MASTER", "MASTER_FAILURE", "NEWMASTER",
	    "PERM_FAILED", "SITE_ADDED", "SITE_REMOVED", "STARTUPDONE", "WOULD_ROLLBACK", "WRITE_FAILED" };
	int *counter = which == DB_EVENT_REP_CONNECT_ESTD ? &connected :
	    which == DB_EVENT_REP_STARTUPDONE ? &startupdone : which == DB_EVENT_PANIC ?
	    &panicked : which == DB_EVENT_REP_PERM_FAILED ? &permfailed : NULL;
	(void)env, (void)info;
	if (counter != NULL)
		__atomic_add_fetch(counter, 1, __ATOMIC_SEQ_CST);
	fprintf(stderr, "repsite[%s]: event %s\n", role,
	    which < sizeof(names) / sizeof(names[0]) ? names[which] : "(unknown)");
}

/* Whether to give up a wait that began at start; 1 (with the reason) if so. */
static int give_up(double start, const char *what)
{
	char msg[160];
	if (!stopping && !__atomic_load_n(&panicked, __ATOMIC_SEQ_CST) && now() - start <= timeout_s)
		return (0);
	snprintf(msg, sizeof(msg), "%s waiting for %s", stopping ? "stopped by a signal" :
	    panicked ? "environment panicked" : "timed out", what);
	return (fail(msg, 0));
}

static int await(int *flag, const char *what)
{
	for (double start = now(); !__atomic_load_n(flag, __ATOMIC_SEQ_CST); usleep(NAP_US))
		if (give_up(start, what))
			return (1);
	return (0);
}

/* Open demo.db (the master creates it); on a client it appears when replicated. */
static int open_demo(DB_ENV *env, DB **dbpp, u_int32_t flags)
{
	int ret;
	for (double start = now();; usleep(NAP_US)) {
		if ((ret = db_create(dbpp, env, 0)) != 0)
			return (fail("db_create", ret));
		if ((ret = (*dbpp)->open(*dbpp, NULL, DEMO_DB, NULL, DB_BTREE,
		    flags | DB_AUTO_COMMIT | DB_THREAD, 0644)) == 0)
			return (0);
		(void)(*dbpp)->close(*dbpp, 0), *dbpp = NULL;
		if (!TRANSIENT(ret) || give_up(start, DEMO_DB " to open"))
			return (fail("opening " DEMO_DB, ret));
	}
}

/* Serve until stdin reaches end-of-file (the parent's "done" signal); 0 then, 1 on timeout. */
static int await_done(void)
{
	struct pollfd pfd = { 0, POLLIN, 0 };
	char buf[256];
	double start;
	for (start = now(); !give_up(start, "end of stdin (the done signal)"); )
		if (poll(&pfd, 1, 100) > 0 && read(0, buf, sizeof(buf)) <= 0)
			return (0);
	return (1);
}

static int run_master(DB_ENV *env, DB **dbpp, int n)
{
	DB_TXN *txn;
	DBT key, val;
	char kbuf[32], vbuf[48];
	double start;
	int i, j, ret;
	if (await(&connected, "a client to connect") || open_demo(env, dbpp, DB_CREATE))
		return (1);
	/* NOTE: a put while a replica joins can deadlock (after ~5 s): redo the batch. */
	for (i = 0, start = now(); i < n; i = j) {
		if ((ret = env->txn_begin(env, NULL, &txn, 0)) != 0)
			return (fail("DB_ENV->txn_begin", ret));
		for (j = i; ret == 0 && j < n && j < i + BATCH; j++)
			ret = (*dbpp)->put(*dbpp, txn, FILL(key, kbuf, "%d", first_key + j),
			    FILL(val, vbuf, "value-%d", first_key + j), 0);
		if ((ret = ret == 0 ? txn->commit(txn, 0) : (txn->abort(txn), ret)) == 0)
			continue;
		if (!TRANSIENT(ret) || give_up(start, "a write to succeed"))
			return (fail("writing " DEMO_DB, ret));
		fprintf(stderr, "repsite[master]: batch at %d: %s; retrying\n", i, db_strerror(ret));
		j = i;
	}
	records = n;
	fprintf(stderr, "repsite[master]: wrote %d records\n", n);
	return (await_done());
}

/* The number of records in demo.db (a full stat walks the tree), or -1. */
static int count(DB *dbp)
{
	DB_BTREE_STAT *st;
	int n = dbp->stat(dbp, NULL, &st, 0) == 0 ? (int)st->bt_ndata : -1;
	return (n >= 0 ? (free(st), n) : n);
}

static int run_client(DB_ENV *env, DB **dbpp, int n)
{
	DB_REP_STAT *sp;
	char kbuf[32], vbuf[48], got[48];
	DBT key, val = { .data = got, .ulen = sizeof(got), .flags = DB_DBT_USERMEM };
	double start;
	int i, ret;
	if (await(&startupdone, "STARTUPDONE") || open_demo(env, dbpp, 0))
		return (1);
	for (start = now(); (records = count(*dbpp)) < n; usleep(NAP_US))
		if (give_up(start, "the records"))
			break;
	records = records < 0 ? 0 : records;	/* -1: stat failed */
	for (i = 0, verified = records == n; verified && i < n; i++) {
		snprintf(vbuf, sizeof(vbuf), "value-%d", i);
		verified = (*dbpp)->get(*dbpp, NULL, FILL(key, kbuf, "%d", i),
		    &val, 0) == 0 && val.size == strlen(vbuf) && memcmp(got, vbuf, val.size) == 0;
	}
	ret = (*dbpp)->put(*dbpp, NULL, FILL(key, kbuf, "client-%d", 0), &key, 0);
	refused = ret == EACCES;
	if (env->rep_stat(env, &sp, 0) == 0) {
		status = sp->st_status == DB_REP_CLIENT ? "client" :
		    sp->st_status == DB_REP_MASTER ? "master" : "none";
		free(sp);
	}
	if (!verified || !refused || strcmp(status, "client") != 0)
		return (fail(!verified ? "the records differ from what the master wrote" :
		    !refused ? "a put on the client was not refused with EACCES" :
		    "rep_stat does not report status=client", refused ? 0 : ret));
	if (!serve)
		return (0);
	fprintf(stderr, "repsite[client]: verified %d records\n", records);
	return (await_done());
}

int main(int argc, char *argv[])
{
	DB_ENV *env;
	DB *dbp = NULL;
	int i, n = 100, master, ret, failed;
	for (i = 3; i < argc; i++)
		if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout_s = atof(argv[++i]);
		else if (strcmp(argv[i], "--serve") == 0)
			serve = 1;
		else if (strcmp(argv[i], "--from") == 0 && i + 1 < argc)
			first_key = atoi(argv[++i]);
		else if ((n = argv[i][0] >= '0' && argv[i][0] <= '9' ? atoi(argv[i]) : -1) < 0)
			break;
	if (argc < 3 || (strcmp(argv[1], "master") != 0 && strcmp(argv[1], "client") != 0) ||
	    i < argc || timeout_s <= 0 || first_key < 0) {
		fprintf(stderr, "usage: repsite master|client HOME [N] [--timeout SEC] [--serve] [--from K]\n");
		return (2);
	}
	master = (role = argv[1])[0] == 'm';
	/* Every wait checks the flag each NAP_US; SIGALRM bounds repmgr_start. */
	signal(SIGTERM, on_signal), signal(SIGINT, on_signal), signal(SIGALRM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	snprintf(stuck, sizeof(stuck), "{\"role\":\"%s\",\"records\":0,\"error\":\"repmgr_start"
	    " did not return (stopped by a signal or after %gs)\"}\n", role, timeout_s);
	if ((ret = db_env_create(&env, 0)) != 0)
		return (fail("db_env_create", ret));
	env->set_errcall(env, on_error);
	env->set_event_notify(env, on_event);
	if ((ret = env->open(env, argv[2], OPEN_FLAGS, 0)) != 0)
		failed = fail("DB_ENV->open", ret);
	else {
		blocked = 1, alarm((unsigned)timeout_s + 1);
		ret = env->repmgr_start(env, 3, master ? DB_REP_MASTER : DB_REP_CLIENT);
		alarm(0), blocked = 0;
		failed = ret != 0 ? fail("repmgr_start", ret) :
		    master ? run_master(env, &dbp, n) : run_client(env, &dbp, n);
	}
	if (dbp != NULL && (ret = dbp->close(dbp, 0)) != 0)
		failed = fail("closing " DEMO_DB, ret);
	if ((ret = env->close(env, 0)) != 0)
		failed = fail("DB_ENV->close", ret);
	printf("{\"role\":\"%s\",\"records\":%d", role, records);
	if (master)
		printf(",\"permFailed\":%d", __atomic_load_n(&permfailed, __ATOMIC_SEQ_CST));
	else
		printf(",\"verified\":%s,\"writeRefused\":%s,\"status\":\"%s\"",
		    verified ? "true" : "false", refused ? "true" : "false", status);
	if (failed)
		printf(",\"error\":\"%s\"", why);
	printf("}\n");
	return (failed ? 1 : 0);
}
