/*
 * dbopen: open a Berkeley DB environment the way a replication server does,
 * so the end-to-end tests can ask the real library what it makes of a
 * DB_CONFIG file.
 *
 *   dbopen HOME
 *   dbopen HOME --hold SECONDS
 *
 * Opens HOME with DB_CREATE|DB_RECOVER|DB_THREAD|DB_INIT_REP|DB_INIT_TXN|
 * DB_INIT_LOCK|DB_INIT_LOG|DB_INIT_MPOOL; nothing is configured from code, so
 * every setting comes from HOME/DB_CONFIG. Berkeley DB's messages (errors and
 * verbose output) are copied to stderr as they arrive, and one line of JSON
 * goes to stdout:
 *
 *   {"ok":false,"ret":22,"error":"Invalid argument","messages":["BDB1585 ..."]}
 *
 * Exit status: 0 when the environment opened and closed cleanly, 1 when
 * Berkeley DB refused it, 2 on a usage error. A crash inside the library
 * (DB_CONFIG can segfault it) shows as death by signal and prints no JSON.
 *
 * With --hold, the environment stays open after a successful open: the line
 * "ready" goes to stdout, and the handle is closed when stdin reaches end of
 * file, SECONDS pass, or SIGTERM/SIGINT arrives, whichever comes first; then
 * the JSON line follows as usual. The in-use tests use this to have a real
 * Berkeley DB process hold an environment.
 *
 * The program is split into open / report / close steps on purpose, so a
 * later mode (a replication master or client run) can reuse them.
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

#define OPEN_FLAGS (DB_CREATE | DB_RECOVER | DB_THREAD | DB_INIT_REP | \
    DB_INIT_TXN | DB_INIT_LOCK | DB_INIT_LOG | DB_INIT_MPOOL)

#define MAX_MESSAGES 32
#define MAX_MESSAGE 1024

/* Every message Berkeley DB reported through the error callback. */
static char messages[MAX_MESSAGES][MAX_MESSAGE];
static int nmessages;

/*
 * Informational messages (set_verbose output) go to stderr as well, so stdout
 * holds nothing but the JSON result.
 */
static void
on_message(const DB_ENV *env, const char *msg)
{
	(void)env;
	fprintf(stderr, "%s\n", msg);
	fflush(stderr);
}

static void
on_error(const DB_ENV *env, const char *prefix, const char *msg)
{
	(void)env;
	fprintf(stderr, "%s%s%s\n", prefix ? prefix : "", prefix ? ": " : "", msg);
	fflush(stderr);
	if (nmessages < MAX_MESSAGES) {
		snprintf(messages[nmessages], MAX_MESSAGE, "%s", msg);
		nmessages++;
	}
}

/*
 * Write s as a JSON string. Messages quote DB_CONFIG bytes verbatim, which
 * need not be UTF-8, so every byte outside printable ASCII is written as
 * \u00XX (the byte's value, read as Latin-1).
 */
static void
json_string(FILE *out, const char *s)
{
	const unsigned char *p;

	fputc('"', out);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

/* The one-line JSON result on stdout. */
static void
report(int ret, const char *step)
{
	int i;

	printf("{\"ok\":%s,\"ret\":%d,\"step\":", ret == 0 ? "true" : "false", ret);
	json_string(stdout, step);
	printf(",\"error\":");
	json_string(stdout, ret == 0 ? "" : db_strerror(ret));
	printf(",\"version\":");
	json_string(stdout, db_version(NULL, NULL, NULL));
	printf(",\"messages\":[");
	for (i = 0; i < nmessages; i++) {
		if (i > 0)
			putchar(',');
		json_string(stdout, messages[i]);
	}
	printf("]}\n");
	fflush(stdout);
}

/* Create a handle that reports through on_error and open home with flags. */
static int
open_env(DB_ENV **envp, const char *home, u_int32_t flags, const char **step)
{
	DB_ENV *env;
	int ret;

	*envp = NULL;
	*step = "db_env_create";
	if ((ret = db_env_create(&env, 0)) != 0)
		return (ret);
	env->set_errcall(env, on_error);
	env->set_msgcall(env, on_message);
	*envp = env;
	*step = "DB_ENV->open";
	return (env->open(env, home, flags, 0));
}

/* Close the handle; a handle whose open failed must still be closed. */
static int
close_env(DB_ENV *env)
{
	return (env == NULL ? 0 : env->close(env, 0));
}

/* Set by SIGTERM or SIGINT, so the held handle is still closed properly. */
static volatile sig_atomic_t stop_requested;

static void
on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Milliseconds on a clock that never jumps. */
static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * Keep the process (and so the open environment) alive until stdin reaches
 * end of file or fails, `seconds` pass, or a stop signal arrives.
 */
static void
hold(double seconds)
{
	struct sigaction sa;
	struct pollfd pfd;
	long long end, left;
	char buf[256];
	ssize_t n;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	/* NOTE: no SA_RESTART, so a signal interrupts poll() at once. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	printf("ready\n");
	fflush(stdout);

	end = now_ms() + (long long)(seconds * 1000);
	while (!stop_requested && (left = end - now_ms()) > 0) {
		pfd.fd = 0;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (poll(&pfd, 1, left > 1000 ? 1000 : (int)left) < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (pfd.revents & (POLLIN | POLLHUP)) {
			n = read(0, buf, sizeof(buf));
			if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
				return;
		} else if (pfd.revents & (POLLERR | POLLNVAL)) {
			return;
		}
	}
}

static int
usage(void)
{
	fprintf(stderr, "usage: dbopen HOME [--hold SECONDS]\n");
	return (2);
}

int
main(int argc, char *argv[])
{
	DB_ENV *env;
	const char *step;
	char *end;
	double seconds;
	int ret, cret;

	seconds = -1;
	if (argc == 4 && strcmp(argv[2], "--hold") == 0) {
		seconds = strtod(argv[3], &end);
		if (*argv[3] == '\0' || *end != '\0' || !(seconds >= 0 && seconds <= 86400))
			return (usage());
	} else if (argc != 2)
		return (usage());

	ret = open_env(&env, argv[1], OPEN_FLAGS, &step);
	if (ret == 0 && seconds >= 0)
		hold(seconds);
	cret = close_env(env);
	if (ret == 0 && cret != 0) {
		ret = cret;
		step = "DB_ENV->close";
	}
	report(ret, step);
	return (ret == 0 ? 0 : 1);
}
