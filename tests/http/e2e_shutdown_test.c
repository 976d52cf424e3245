/*
 * e2e_shutdown_test.c: `cairn serve` stops as a service should (issue
 * 10 §4).  On SIGTERM it stops accepting, answers the request already
 * in flight (its audit row committed before the page is sent), closes
 * the store and exits 0; the chain still verifies.  SIGINT the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

static struct e2e_server srv;

static int up(void **state)
{
	(void)state;
	return e2e_server_start(&srv, 5);
}

static int down(void **state)
{
	(void)state;
	e2e_server_stop(&srv);
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Waits up to ms for the server to exit; its wait status, or -1. */
static int wait_exit(pid_t pid, long ms)
{
	for (long t = 0; t < ms; t += 20) {
		int st;
		pid_t w = waitpid(pid, &st, WNOHANG);
		if (w == pid)
			return st;
		sleep_ms(20);
	}
	return -1;
}

/* A request whose headers are half sent when SIGTERM arrives is still
 * answered, with its read audited; new connections are refused; the
 * process exits 0 and the chain verifies. */
static void sigterm_finishes_in_flight(int sig)
{
	long long id = e2e_sql_int(&srv, "SELECT min(child_id) FROM child");
	assert_true(id > 0);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_true(e2e_sign_in(&c, "sw.demo", DEMO_PASSWORD));
	char sql[200], req[4096];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE "
		 "action = 'read' AND child_id = %lld", id);
	long long before = e2e_sql_int(&srv, sql);
	assert_true(before >= 0);

	int fd = e2e_connect(&srv, NULL);
	assert_true(fd >= 0);
	snprintf(req, sizeof(req), "GET /children/%lld HTTP/1.1\r\n"
		 "Host: 127.0.0.1\r\nCookie: %s\r\n", id, c.cookies);
	assert_int_equal(e2e_send(fd, req, strlen(req)), 0);
	sleep_ms(200); /* the server has the request line: in flight */
	assert_int_equal(kill(srv.pid, sig), 0);
	sleep_ms(300);
	/* still running, for the request in flight; not accepting */
	assert_int_equal(waitpid(srv.pid, NULL, WNOHANG), 0);
	assert_true(e2e_connect(&srv, NULL) < 0);
	assert_int_equal(e2e_send(fd, "\r\n", 2), 0);
	static char buf[256 * 1024];
	long n = e2e_read_until_close(fd, buf, sizeof(buf), 10000, NULL);
	close(fd);
	assert_true(n > 0);
	assert_int_equal(e2e_raw_status(buf), 200);
	char v[64];
	assert_non_null(e2e_raw_header(buf, "Connection", v, sizeof(v)));
	assert_string_equal(v, "close");

	int st = wait_exit(srv.pid, 15000);
	assert_true(st != -1);
	srv.pid = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	/* the page was shown, so its read is in the store */
	assert_int_equal(e2e_sql_int(&srv, sql), before + 1);
	assert_int_equal(e2e_cairn(&srv, NULL, NULL, 0, "audit", "verify",
				   "--db", srv.db, NULL), 0);
	e2e_client_free(&c);
}

static void sigterm(void **state)
{
	(void)state;
	sigterm_finishes_in_flight(SIGTERM);
	/* the log says why it stopped, and that it stopped */
	FILE *f = fopen(srv.log, "r");
	assert_non_null(f);
	static char log[1 << 20];
	size_t n = fread(log, 1, sizeof(log) - 1, f);
	fclose(f);
	log[n] = '\0';
	assert_non_null(strstr(log, "\"event\":\"serve.stop\",\"rid\":\"-\","
				    "\"signal\":\"TERM\""));
	assert_non_null(strstr(log, "\"event\":\"serve.stopped\""));
}

static void sigint(void **state)
{
	(void)state;
	assert_int_equal(e2e_server_serve(&srv, NULL), 0);
	sigterm_finishes_in_flight(SIGINT);
}

/* An idle server stops at once. */
static void idle_stops_at_once(void **state)
{
	(void)state;
	assert_int_equal(e2e_server_serve(&srv, NULL), 0);
	struct e2e_client c;
	e2e_client_init(&c, &srv);
	assert_int_equal(e2e_get(&c, "/healthz"), 200);
	e2e_client_free(&c);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(kill(srv.pid, SIGTERM), 0);
	int st = wait_exit(srv.pid, 5000);
	assert_true(st != -1);
	srv.pid = 0;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	assert_true(e2e_ms_since(&t0) < 3000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sigterm),
		cmocka_unit_test(sigint),
		cmocka_unit_test(idle_stops_at_once),
	};
	return cmocka_run_group_tests(tests, up, down);
}
