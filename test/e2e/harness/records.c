/*
 * records: write, check or hold the records of a transactional Berkeley DB
 * environment, for the backup and restore end-to-end tests.
 *
 *   records write HOME N    put N records (key "key-%06d", value "value-%06d-" and
 *                           a pattern, 100 bytes) into the btree records.db, in
 *                           transactions of 100, checkpoint, close cleanly
 *   records check HOME N    open HOME (with recovery), read records.db back: every
 *                           key 0..N-1 with its exact value, and nothing else
 *   records hold HOME       open HOME, print "ready", keep it open until stdin
 *                           reaches end of file or SIGTERM/SIGINT arrives
 *
 * HOME's DB_CONFIG decides where the data and logs go (set_data_dir, set_lg_dir);
 * nothing is configured from code but the open flags:
 * DB_CREATE|DB_RECOVER|DB_INIT_TXN|DB_INIT_LOCK|DB_INIT_LOG|DB_INIT_MPOOL.
 * One JSON line goes to stdout at exit ({"ok":...,"records":N,"error":...});
 * exit 0 ok, 1 failure, 2 usage.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <db.h>

#define OPEN_FLAGS (DB_CREATE | DB_RECOVER | DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL)
#define DB_NAME "records.db"
#define BATCH 100

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig) { (void)sig; stop_requested = 1; }

static int report(int ok, long records, const char *what, int ret)
{
	printf("{\"ok\":%s,\"records\":%ld,\"error\":\"%s%s%s\"}\n", ok ? "true" : "false", records,
	    what, ret ? ": " : "", ret ? db_strerror(ret) : "");
	return (ok ? 0 : 1);
}

static void value_of(long i, char *buf, size_t len)
{
	int n = snprintf(buf, len, "value-%06ld-", i);
	for (size_t k = (size_t)n; k + 1 < len; k++)
		buf[k] = (char)('a' + (i + (long)k) % 26);
	buf[len - 1] = '\0';
}

static int open_env(const char *home, DB_ENV **envp)
{
	DB_ENV *env;
	int ret;

	if ((ret = db_env_create(&env, 0)) != 0)
		return (ret);
	env->set_errfile(env, stderr);
	env->set_errpfx(env, "records");
	if ((ret = env->open(env, home, OPEN_FLAGS, 0)) != 0) {
		env->close(env, 0);
		return (ret);
	}
	*envp = env;
	return (0);
}

static int write_records(DB_ENV *env, long n)
{
	DB *db;
	DB_TXN *txn;
	DBT key, data;
	char kbuf[32], vbuf[101];
	long i;
	int ret;

	if ((ret = db_create(&db, env, 0)) != 0)
		return (ret);
	if ((ret = db->open(db, NULL, DB_NAME, NULL, DB_BTREE, DB_CREATE | DB_AUTO_COMMIT, 0644)) != 0) {
		db->close(db, 0);
		return (ret);
	}
	for (i = 0; i < n && ret == 0; ) {
		if ((ret = env->txn_begin(env, NULL, &txn, 0)) != 0)
			break;
		for (long end = i + BATCH; i < n && i < end && ret == 0; i++) {
			memset(&key, 0, sizeof(key));
			memset(&data, 0, sizeof(data));
			key.size = (u_int32_t)snprintf(kbuf, sizeof(kbuf), "key-%06ld", i);
			key.data = kbuf;
			value_of(i, vbuf, sizeof(vbuf));
			data.data = vbuf;
			data.size = (u_int32_t)strlen(vbuf);
			ret = db->put(db, txn, &key, &data, 0);
		}
		if (ret == 0)
			ret = txn->commit(txn, 0);
		else
			txn->abort(txn);
	}
	if (ret == 0)
		ret = env->txn_checkpoint(env, 0, 0, 0);
	int cret = db->close(db, 0);
	return (ret != 0 ? ret : cret);
}

static int check_records(DB_ENV *env, long n, long *found, const char **why)
{
	DB *db;
	DBC *cur;
	DBT key, data;
	char want_key[32], want_value[101];
	long count = 0;
	int ret;

	*why = "";
	if ((ret = db_create(&db, env, 0)) != 0)
		return (ret);
	if ((ret = db->open(db, NULL, DB_NAME, NULL, DB_BTREE, DB_AUTO_COMMIT | DB_RDONLY, 0)) != 0) {
		db->close(db, 0);
		return (ret);
	}
	if ((ret = db->cursor(db, NULL, &cur, 0)) == 0) {
		memset(&key, 0, sizeof(key));
		memset(&data, 0, sizeof(data));
		while ((ret = cur->get(cur, &key, &data, DB_NEXT)) == 0) {
			/* Keys come in order: the count-th is key-<count>. */
			snprintf(want_key, sizeof(want_key), "key-%06ld", count);
			value_of(count, want_value, sizeof(want_value));
			if (key.size != strlen(want_key) || memcmp(key.data, want_key, key.size) != 0)
				*why = "a key is missing or unexpected";
			else if (data.size != strlen(want_value) || memcmp(data.data, want_value, data.size) != 0)
				*why = "a value differs";
			if (**why != '\0')
				break;
			count++;
		}
		if (ret == DB_NOTFOUND)
			ret = 0;
		cur->close(cur);
	}
	*found = count;
	if (ret == 0 && **why == '\0' && count != n)
		*why = "the number of records differs";
	int cret = db->close(db, 0);
	return (ret != 0 ? ret : cret);
}

static void hold(void)
{
	struct sigaction sa;
	struct pollfd pfd;
	char buf[64];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("ready\n");
	fflush(stdout);
	pfd.fd = 0;
	pfd.events = POLLIN;
	while (!stop_requested) {
		if (poll(&pfd, 1, 1000) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd.revents != 0 && read(0, buf, sizeof(buf)) <= 0)
			break;
	}
}

int main(int argc, char *argv[])
{
	DB_ENV *env;
	const char *mode, *why;
	long n = 0, found = 0;
	int ret;

	if (argc < 3 || (strcmp(argv[1], "hold") != 0 && argc != 4)) {
		fprintf(stderr, "usage: records write|check HOME N | records hold HOME\n");
		return (2);
	}
	mode = argv[1];
	if (argc == 4)
		n = strtol(argv[3], NULL, 10);
	if ((ret = open_env(argv[2], &env)) != 0)
		return (report(0, 0, "open the environment", ret));
	if (strcmp(mode, "write") == 0) {
		ret = write_records(env, n);
		found = ret == 0 ? n : 0;
		why = "write";
	} else if (strcmp(mode, "check") == 0) {
		ret = check_records(env, n, &found, &why);
		if (ret == 0 && *why != '\0') {
			env->close(env, 0);
			return (report(0, found, why, 0));
		}
		why = "read";
	} else {
		hold();
		why = "hold";
		ret = 0;
	}
	int cret = env->close(env, 0);
	if (ret == 0)
		ret = cret;
	return (report(ret == 0, found, ret == 0 ? "" : why, ret));
}
