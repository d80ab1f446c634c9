/* usage: ready_probe [-t TIMEOUT_S] [-m METHOD] SOCKET -- COMMAND [ARGS...]
 *
 * Time from exec to the first answered JSON-RPC call. Forks and execs COMMAND
 * (the daemon, on a fresh database), then every 1 ms tries to connect to
 * SOCKET; once connected it sends one `METHOD` request (default
 * system.health) and waits for a reply line carrying "result". Then it sends
 * SIGTERM to the child and waits for it to exit.
 *
 * Prints (one "key value" per line, milliseconds):
 *   ready_ms    fork+exec to the first reply with a result
 *   connect_ms  fork+exec to the first accepted connection
 *   stop_ms     SIGTERM to child exit
 *   exit        the child's exit status (or 128+signal)
 * Exit 0 when the child answered in time and exited 0 after SIGTERM, else 1.
 *
 * build: gcc -O2 -Wall -Wextra -o ready_probe ready_probe.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static void sleep_ms(long ms) {
    struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&t, &t) == -1 && errno == EINTR) {}
}

/* 1 child still running, 0 exited (status stored) */
static int child_running(pid_t pid, int *status) {
    int st;
    pid_t r = waitpid(pid, &st, WNOHANG);
    if (r == 0) return 1;
    if (r == pid) *status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return 0;
}

/* Sends one request on fd and waits up to `deadline` for a full reply line.
 * Returns 1 when the line has "result", 0 for any other reply or failure. */
static int ask(int fd, const char *method, double deadline) {
    char req[256];
    int n = snprintf(req, sizeof req, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"%s\",\"params\":{}}\n", method);
    if (write(fd, req, (size_t)n) != n) return 0;
    char buf[65536];
    size_t len = 0;
    while (len < sizeof buf - 1) {
        int wait_ms = (int)((deadline - now()) * 1000);
        if (wait_ms <= 0) return 0;
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, wait_ms) <= 0) return 0;
        ssize_t r = read(fd, buf + len, sizeof buf - 1 - len);
        if (r <= 0) return 0;
        len += (size_t)r;
        buf[len] = 0;
        if (memchr(buf, '\n', len)) return strstr(buf, "\"result\"") != NULL;
    }
    return 0;
}

int main(int argc, char **argv) {
    double timeout_s = 10;
    const char *method = "system.health";
    int opt;
    while ((opt = getopt(argc, argv, "+t:m:")) != -1) {
        if (opt == 't') timeout_s = atof(optarg);
        else if (opt == 'm') method = optarg;
        else goto usage;
    }
    if (argc - optind < 3 || strcmp(argv[optind + 1], "--") != 0) goto usage;
    const char *path = argv[optind];
    char **cmd = &argv[optind + 2];

    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof addr.sun_path) {
        fprintf(stderr, "ready_probe: socket path too long\n");
        return 2;
    }
    strcpy(addr.sun_path, path);

    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); return 2; }
    if (pid == 0) {
        execvp(cmd[0], cmd);
        perror(cmd[0]);
        _exit(127);
    }

    double deadline = t0 + timeout_s, t_connect = -1, t_ready = -1;
    int status = -1, running = 1;
    while (now() < deadline && (running = child_running(pid, &status))) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) { perror("socket"); break; }
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
            if (t_connect < 0) t_connect = now();
            int ok = ask(fd, method, deadline);
            close(fd);
            if (ok) { t_ready = now(); break; }
        } else {
            close(fd);
        }
        sleep_ms(1);
    }

    double t_stop = -1;
    if (running && child_running(pid, &status)) {
        double t_term = now();
        kill(pid, SIGTERM);
        while (child_running(pid, &status)) {
            if (now() - t_term > 15) { kill(pid, SIGKILL); waitpid(pid, NULL, 0); status = 128 + SIGKILL; break; }
            sleep_ms(1);
        }
        t_stop = now() - t_term;
    }

    if (t_ready >= 0) printf("ready_ms %.1f\n", (t_ready - t0) * 1000);
    else fprintf(stderr, "ready_probe: no answer to %s on %s within %.0f s\n", method, path, timeout_s);
    if (t_connect >= 0) printf("connect_ms %.1f\n", (t_connect - t0) * 1000);
    if (t_stop >= 0) printf("stop_ms %.1f\n", t_stop * 1000);
    printf("exit %d\n", status);
    return (t_ready >= 0 && status == 0) ? 0 : 1;

usage:
    fprintf(stderr, "usage: ready_probe [-t TIMEOUT_S] [-m METHOD] SOCKET -- COMMAND [ARGS...]\n");
    return 2;
}
