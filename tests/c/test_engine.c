/*
 * Tests of the binding engine's C API (privnum_engine_*): JSON commands and
 * their answers, platform rule violations, the typed routing fast path, NULL
 * arguments, too-small answer buffers (a command never runs twice), handles,
 * AXE callback records and modifying the callback number, the platform code
 * and field of the last error, threads routing while
 * another binds, durable engines reopened from their directory, and every
 * case of tests/vectors/engine.json (through the generated engine_gen.h).
 */

#define _XOPEN_SOURCE 700

#include <ftw.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "privnum.h"
#include "testutil.h"
#include "engine_gen.h"

#define U8(s) ((const uint8_t *)(s))
/* A string literal as (ptr, len). */
#define LIT(s) U8(s), (sizeof(s) - 1)
/* A NUL-terminated string as (ptr, len). */
#define STR(s) U8(s), strlen(s)

/* The engine's error kinds are PRIVNUM_RESULT_* codes; these are their
 * stable numbers (core's ErrorKind), for headers that do not define them yet. */
#ifndef PRIVNUM_RESULT_JOURNAL_IO
#define PRIVNUM_RESULT_JOURNAL_IO 410u
#endif

static const char AXB_CONFIG[] = "{\"mode\":\"axb\",\"id_seed\":3}";
static const char A[] = "+8613800000021";
static const char B[] = "+8613800000022";
static const char C[] = "+8613800000023";
static const char D[] = "+8613800000024";
static const char X[] = "+8617000000010";
static const char X2[] = "+8617000000011";
static const char FIXED_LINE[] = "+861088880000";
static const uint64_t NOW = UINT64_C(1800000000);

#define ANSWER_CAP 65536

/* ---- helpers --------------------------------------------------------------- */

static privnum_number num(const char *e164)
{
    privnum_number n = { 0 };
    if (privnum_number_parse_default(STR(e164), &n) != PRIVNUM_RESULT_OK) {
        fprintf(stderr, "cannot parse %s\n", e164);
        exit(2);
    }
    return n;
}

static privnum_engine *new_engine(t_case *c, const char *config)
{
    privnum_engine *e = NULL;
    T_RESULT(c, privnum_engine_new(STR(config), &e), PRIVNUM_RESULT_OK);
    if (e == NULL) {
        fprintf(stderr, "%s: cannot create an engine\n", c->id);
        exit(2);
    }
    return e;
}

/* Run `cmd` with a buffer of `cap` bytes into `out` (NUL-terminated on success). */
static privnum_result run(const privnum_engine *e, const char *cmd, char *out, size_t cap,
                          size_t *out_n)
{
    size_t n = 0;
    privnum_result r = privnum_engine_execute(e, STR(cmd), (uint8_t *)out, cap - 1, &n);
    if (r == PRIVNUM_RESULT_OK) {
        out[n] = '\0';
    }
    if (out_n != NULL) {
        *out_n = n;
    }
    return r;
}

/* Run `cmd` with a big buffer; fails the case unless the call returns OK. */
static void exec(t_case *c, const privnum_engine *e, const char *cmd, char *out, size_t cap)
{
    privnum_result r = run(e, cmd, out, cap, NULL);
    if (r != PRIVNUM_RESULT_OK) {
        char msg[512];
        t_last_error(msg, sizeof msg);
        t_fail(c, "execute %s returned %s; last error: %s", cmd, t_name(r), msg);
        out[0] = '\0';
    }
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

#define T_CONTAINS(c, text, needle)                                                       \
    do {                                                                                  \
        if (strstr((text), (needle)) == NULL) {                                           \
            t_fail((c), "%s:%d: \"%s\" does not contain \"%s\"", __FILE__, __LINE__, (text), \
                   (needle));                                                             \
        }                                                                                 \
    } while (0)

/* Run a command that must succeed ({"ok":...}); the answer is in `out`. */
static void exec_ok(t_case *c, const privnum_engine *e, const char *cmd, char *out, size_t cap)
{
    exec(c, e, cmd, out, cap);
    if (!starts_with(out, "{\"ok\":")) {
        t_fail(c, "%s: expected an ok answer, got %s", cmd, out);
    }
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

static bool last_error_contains(const char *needle)
{
    char msg[1024];
    t_last_error(msg, sizeof msg);
    return strstr(msg, needle) != NULL;
}

#define T_MESSAGE(c, needle)                                                                    \
    do {                                                                                        \
        if (!last_error_contains(needle)) {                                                     \
            char msg_[1024];                                                                    \
            t_last_error(msg_, sizeof msg_);                                                    \
            t_fail((c), "%s:%d: last error \"%s\" does not contain \"%s\"", __FILE__, __LINE__, \
                   msg_, (needle));                                                             \
        }                                                                                       \
    } while (0)

/* A bind command for the pair (a, b) on x, with an explicit id. */
static void bind_cmd(char *out, size_t cap, const char *id, const char *a, const char *b,
                     const char *x, const char *settings)
{
    snprintf(out, cap,
             "{\"op\":\"bind\",\"now\":%llu,\"request\":{\"shape\":\"pair\",\"a\":\"%s\",\"b\":"
             "\"%s\",\"x\":{\"given\":\"%s\"},\"id\":\"%s\"%s%s}}",
             (unsigned long long)NOW, a, b, x, id, settings ? ",\"settings\":" : "",
             settings ? settings : "");
}

static privnum_result route(const privnum_engine *e, const char *caller, const char *dialled,
                            const char *ext, uint64_t now, privnum_route *out)
{
    return privnum_engine_route(e, num(caller), num(dialled), U8(ext),
                                ext == NULL ? 0 : strlen(ext), now, out);
}

/* Check a connect decision. */
static void check_connect(t_case *c, const char *what, const privnum_route *r, const char *callee,
                          const char *display, const char *id)
{
    if (!r->connect) {
        t_fail(c, "%s: closed (%s), expected a connect", what,
               privnum_close_reason_name(r->close_reason));
        return;
    }
    if (r->callee.bits != num(callee).bits || r->display.bits != num(display).bits) {
        t_fail(c, "%s: wrong callee or display", what);
    }
    if (r->close_reason != PRIVNUM_CLOSE_NONE || r->state_code != 0 || !r->has_binding) {
        t_fail(c, "%s: close_reason %u, state_code %u, has_binding %d", what,
               (unsigned)r->close_reason, (unsigned)r->state_code, (int)r->has_binding);
    }
    if (id != NULL && strcmp(r->binding_id, id) != 0) {
        t_fail(c, "%s: binding_id \"%s\", expected \"%s\"", what, r->binding_id, id);
    }
}

/* Check a close decision; id NULL: no binding. */
static void check_close(t_case *c, const char *what, const privnum_route *r, uint32_t reason,
                        uint32_t state_code, const char *id)
{
    if (r->connect) {
        t_fail(c, "%s: connected, expected close %s", what, privnum_close_reason_name(reason));
        return;
    }
    if (r->close_reason != reason || r->state_code != state_code) {
        t_fail(c, "%s: close %u (%s) stateCode %u, expected %u (%s) stateCode %u", what,
               (unsigned)r->close_reason, privnum_close_reason_name(r->close_reason),
               (unsigned)r->state_code, (unsigned)reason, privnum_close_reason_name(reason),
               (unsigned)state_code);
    }
    if (r->callee.bits != 0 || r->display.bits != 0 || r->max_duration_min != 0 || r->record) {
        t_fail(c, "%s: a close has connect fields set", what);
    }
    if (id == NULL ? (r->has_binding || r->binding_id[0] != '\0')
                   : (!r->has_binding || strcmp(r->binding_id, id) != 0)) {
        t_fail(c, "%s: has_binding %d binding_id \"%s\", expected %s", what, (int)r->has_binding,
               r->binding_id, id ? id : "none");
    }
}

/* ---- JSON commands and rules ------------------------------------------------ */

static void test_axb_rules(void)
{
    t_case c;
    t_begin(&c, "axb-bind-and-rules");
    privnum_engine *e = new_engine(&c, AXB_CONFIG);
    static char ans[ANSWER_CAP];
    char cmd[1024];

    bind_cmd(cmd, sizeof cmd, "t-1", A, B, X, NULL);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"id\":\"t-1\"");
    T_CONTAINS(&c, ans, "\"state\":\"active\"");
    T_CONTAINS(&c, ans, "\"x\":\"+8617000000010\"");
    T_CHECK(&c, privnum_engine_len(e) == 1);

    /* A repeated party on X: refused with 1012010, naming the field. The call
     * itself succeeds: the error is in the answer. */
    bind_cmd(cmd, sizeof cmd, "t-2", A, C, X, NULL);
    exec(&c, e, cmd, ans, sizeof ans);
    T_CHECK(&c, starts_with(ans, "{\"error\":{"));
    T_CONTAINS(&c, ans, "\"kind\":\"RULE_VIOLATION\"");
    T_CONTAINS(&c, ans, "\"code\":400");
    T_CONTAINS(&c, ans, "\"platform_code\":\"1012010\"");
    T_CONTAINS(&c, ans, "\"field\":\"callerNum\"");
    bind_cmd(cmd, sizeof cmd, "t-2", C, B, X, NULL);
    exec(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"platform_code\":\"1012010\"");
    T_CONTAINS(&c, ans, "\"field\":\"calleeNum\"");
    /* The same pair on another X is fine. */
    bind_cmd(cmd, sizeof cmd, "t-2", C, B, X2, NULL);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    /* An id that exists already. */
    bind_cmd(cmd, sizeof cmd, "t-2", A, D, X2, NULL);
    exec(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"kind\":\"BINDING_EXISTS\"");
    T_CONTAINS(&c, ans, "\"platform_code\":null");
    T_CHECK(&c, privnum_engine_len(e) == 2);

    exec_ok(&c, e, "{\"op\":\"get\",\"id\":\"t-1\"}", ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"b\":\"+8613800000022\"");
    exec_ok(&c, e, "{\"op\":\"get\",\"id\":\"nope\"}", ans, sizeof ans);
    T_CHECK(&c, strcmp(ans, "{\"ok\":null}") == 0);
    exec_ok(&c, e, "{\"op\":\"len\"}", ans, sizeof ans);
    T_CHECK(&c, strcmp(ans, "{\"ok\":2}") == 0);

    /* Malformed commands are answered, not failed. */
    exec(&c, e, "not json", ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"kind\":\"INVALID_COMMAND\"");
    T_CONTAINS(&c, ans, "\"code\":420");
    exec(&c, e, "{\"op\":\"frobnicate\"}", ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"kind\":\"INVALID_COMMAND\"");
    exec(&c, e, "", ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"kind\":\"INVALID_COMMAND\"");
    size_t n = T_SENTINEL_SIZE;
    memset(ans, T_SENTINEL, 16);
    static const uint8_t bad[] = { '{', 0xFF, '}' };
    T_RESULT(&c, privnum_engine_execute(e, bad, sizeof bad, (uint8_t *)ans, 16, &n),
             PRIVNUM_RESULT_INVALID_UTF8);
    T_CHECK(&c, n == T_SENTINEL_SIZE && t_untouched(ans, 16));
    T_MESSAGE(&c, "cmd_json");

    /* Configs. */
    privnum_engine *bad_engine = (privnum_engine *)&c;
    T_RESULT(&c, privnum_engine_new(LIT("{\"mode\":\"abc\"}"), &bad_engine),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_MESSAGE(&c, "abc");
    T_RESULT(&c, privnum_engine_new(LIT("{\"mode\":\"axe\",\"extension_digits\":5}"), &bad_engine),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_RESULT(&c, privnum_engine_new(LIT("{\"mode\":\"axb\",\"colour\":1}"), &bad_engine),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_RESULT(&c, privnum_engine_new(NULL, 0, &bad_engine), PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_CHECK(&c, bad_engine == (privnum_engine *)&c);

    uint32_t mode = 99;
    T_RESULT(&c, privnum_engine_mode(e, &mode), PRIVNUM_RESULT_OK);
    T_CHECK(&c, mode == PRIVNUM_MODE_AXB);
    T_CHECK(&c, strcmp(privnum_mode_name(mode), "axb") == 0);
    T_CHECK(&c, strcmp(privnum_mode_name(PRIVNUM_MODE_AXYB), "axyb") == 0);
    T_CHECK(&c, privnum_mode_name(5) == NULL);
    T_CHECK(&c, privnum_engine_memory_bytes(e) > 0);
    privnum_engine_free(e);
    t_end(&c);
}

/* ---- the routing fast path ------------------------------------------------- */

static void test_route(void)
{
    t_case c;
    t_begin(&c, "route-fast-path");
    privnum_engine *e = new_engine(&c, AXB_CONFIG);
    static char ans[ANSWER_CAP];
    char cmd[1024];
    privnum_route r;

    bind_cmd(cmd, sizeof cmd, "r-1", A, B, X, "{\"max_duration_min\":30,\"record\":true}");
    exec_ok(&c, e, cmd, ans, sizeof ans);
    bind_cmd(cmd, sizeof cmd, "r-2", C, D, X, "{\"duration_secs\":60}");
    exec_ok(&c, e, cmd, ans, sizeof ans);

    memset(&r, T_SENTINEL, sizeof r);
    T_RESULT(&c, route(e, A, X, NULL, NOW, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "A calls X", &r, B, X, "r-1");
    T_CHECK(&c, r.max_duration_min == 30 && r.record);
    T_RESULT(&c, route(e, B, X, NULL, NOW, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "B calls X", &r, A, X, "r-1");
    /* An empty, non-NULL extension is none. */
    T_RESULT(&c, route(e, A, X, "", NOW, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "empty ext", &r, B, X, "r-1");

    T_RESULT(&c, route(e, "+8613900000099", X, NULL, NOW, &r), PRIVNUM_RESULT_OK);
    check_close(&c, "unknown caller", &r, PRIVNUM_CLOSE_NO_BINDING, 8014, NULL);
    T_RESULT(&c, route(e, FIXED_LINE, X, NULL, NOW, &r), PRIVNUM_RESULT_OK);
    check_close(&c, "fixed-line caller", &r, PRIVNUM_CLOSE_CALLER_CANNOT_CALL_X, 8023, NULL);
    T_RESULT(&c, route(e, A, X2, NULL, NOW, &r), PRIVNUM_RESULT_OK);
    check_close(&c, "other X", &r, PRIVNUM_CLOSE_NO_BINDING, 8014, NULL);
    T_RESULT(&c, route(e, C, X, NULL, NOW + 61, &r), PRIVNUM_RESULT_OK);
    check_close(&c, "expired", &r, PRIVNUM_CLOSE_EXPIRED, 8014, "r-2");
    T_RESULT(&c, route(e, C, X, NULL, NOW + 59, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "not yet expired", &r, D, X, "r-2");

    /* The route command agrees with the fast path. */
    snprintf(cmd, sizeof cmd,
             "{\"op\":\"route\",\"caller\":\"%s\",\"dialled\":\"%s\",\"now\":%llu}", A, X,
             (unsigned long long)NOW);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"operation\":\"connect\"");
    T_CONTAINS(&c, ans, "\"callee\":\"+8613800000022\"");
    T_CONTAINS(&c, ans, "\"binding\":\"r-1\"");

    /* Failures leave *out untouched. */
    memset(&r, T_SENTINEL, sizeof r);
    T_RESULT(&c, route(e, A, X, "12a", NOW, &r), PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_MESSAGE(&c, "extension");
    T_RESULT(&c, route(e, A, X, "0000", NOW, &r), PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_RESULT(&c, route(e, A, X, "12345", NOW, &r), PRIVNUM_RESULT_INVALID_ARGUMENT);
    privnum_number junk = { 1 };
    T_RESULT(&c, privnum_engine_route(e, junk, num(X), NULL, 0, NOW, &r),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_RESULT(&c, privnum_engine_route(e, num(A), junk, NULL, 0, NOW, &r),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    static const uint8_t bad[] = { '1', 0xFF };
    T_RESULT(&c, privnum_engine_route(e, num(A), num(X), bad, sizeof bad, NOW, &r),
             PRIVNUM_RESULT_INVALID_UTF8);
    T_CHECK(&c, t_untouched(&r, sizeof r));

    /* Names of the close reasons. */
    T_CHECK(&c, strcmp(privnum_close_reason_name(PRIVNUM_CLOSE_NO_BINDING), "no_binding") == 0);
    T_CHECK(&c, strcmp(privnum_close_reason_name(PRIVNUM_CLOSE_CALLER_CANNOT_CALL_X),
                       "caller_cannot_call_x") == 0);
    T_CHECK(&c, strcmp(privnum_close_reason_name(PRIVNUM_CLOSE_NO_RELATION), "no_relation") == 0);
    T_CHECK(&c, privnum_close_reason_name(PRIVNUM_CLOSE_NONE) == NULL);
    T_CHECK(&c, privnum_close_reason_name(PRIVNUM_CLOSE_NO_RELATION + 1) == NULL);
    privnum_engine_free(e);

    /* AXE: extensions through the fast path. */
    e = new_engine(&c, "{\"mode\":\"axe\",\"extension_digits\":4}");
    snprintf(cmd, sizeof cmd,
             "{\"op\":\"bind\",\"now\":%llu,\"request\":{\"shape\":\"extension\",\"a\":\"%s\","
             "\"ext\":\"0007\",\"callback\":\"%s\",\"x\":{\"given\":\"%s\"},\"id\":\"e-7\"}}",
             (unsigned long long)NOW, A, B, X);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"ext\":\"0007\"");
    /* Nobody has called A yet: A calling X reaches the callback number. */
    T_RESULT(&c, route(e, A, X, NULL, NOW, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "A calls back", &r, B, X, "e-7");
    T_RESULT(&c, route(e, C, X, "0007", NOW, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "extension 0007", &r, A, X, "e-7");
    T_RESULT(&c, route(e, C, X, NULL, NOW, &r), PRIVNUM_RESULT_OK);
    check_close(&c, "no extension", &r, PRIVNUM_CLOSE_EXTENSION_NEEDED, 8033, NULL);
    T_RESULT(&c, route(e, C, X, "0008", NOW, &r), PRIVNUM_RESULT_OK);
    check_close(&c, "unknown extension", &r, PRIVNUM_CLOSE_UNKNOWN_EXTENSION, 8033, NULL);
    privnum_engine_free(e);
    t_end(&c);
}

/* ---- AXE callback records --------------------------------------------------- */

static void test_callback_record(void)
{
    t_case c;
    t_begin(&c, "axe-callback-record");
    privnum_engine *e = new_engine(&c, "{\"mode\":\"axe\",\"extension_digits\":4}");
    static char ans[ANSWER_CAP];
    char cmd[1024];
    privnum_route r;

    /* A on X, extension 0001, callback number D, records kept 10 minutes. */
    snprintf(cmd, sizeof cmd,
             "{\"op\":\"bind\",\"now\":%llu,\"request\":{\"shape\":\"extension\",\"a\":\"%s\","
             "\"ext\":\"0001\",\"callback\":\"%s\",\"callback_lifetime_secs\":600,"
             "\"x\":{\"given\":\"%s\"},\"id\":\"cb-1\"}}",
             (unsigned long long)NOW, A, D, X);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"callback_lifetime_secs\":600");

    T_RESULT(&c, route(e, A, X, NULL, NOW, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "A before any call", &r, D, X, "cb-1");
    /* B reaches A through X + extension; then A calling X reaches B. */
    T_RESULT(&c, route(e, B, X, "0001", NOW + 1, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "B through the extension", &r, A, X, "cb-1");
    T_RESULT(&c, route(e, A, X, NULL, NOW + 2, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "A calls back B", &r, B, X, "cb-1");
    /* The newest caller wins. */
    T_RESULT(&c, route(e, C, X, "0001", NOW + 3, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "C through the extension", &r, A, X, "cb-1");
    T_RESULT(&c, route(e, A, X, NULL, NOW + 4, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "A calls back C", &r, C, X, "cb-1");
    /* The route command sees the same record. */
    snprintf(cmd, sizeof cmd,
             "{\"op\":\"route\",\"caller\":\"%s\",\"dialled\":\"%s\",\"now\":%llu}", A, X,
             (unsigned long long)(NOW + 5));
    exec_ok(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"callee\":\"+8613800000023\"");
    /* 600 s after C's call the record is over: the callback number again. */
    T_RESULT(&c, route(e, A, X, NULL, NOW + 603, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "record expired", &r, D, X, "cb-1");
    privnum_engine_free(e);
    t_end(&c);
}

/* AXE modify (PN 5.3): the callback number and the record lifetime reach the
 * engine through the JSON command, at once or as a pending request. */
static void test_modify_callback(void)
{
    t_case c;
    t_begin(&c, "axe-modify-callback");
    privnum_engine *e = new_engine(&c, "{\"mode\":\"axe\",\"extension_digits\":4}");
    static char ans[ANSWER_CAP];
    char cmd[1024];
    privnum_route r;

    snprintf(cmd, sizeof cmd,
             "{\"op\":\"bind\",\"now\":%llu,\"request\":{\"shape\":\"extension\",\"a\":\"%s\","
             "\"ext\":\"0001\",\"callback\":\"%s\",\"x\":{\"given\":\"%s\"},\"id\":\"mc-1\"}}",
             (unsigned long long)NOW, A, D, X);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    T_RESULT(&c, route(e, A, X, NULL, NOW + 1, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "A before the change", &r, D, X, "mc-1");

    /* At once: no callback record, so A calling X reaches the new number. */
    snprintf(cmd, sizeof cmd,
             "{\"op\":\"modify\",\"id\":\"mc-1\",\"now\":%llu,\"changes\":{\"callback\":\"%s\","
             "\"callback_lifetime_secs\":600}}",
             (unsigned long long)(NOW + 2), C);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"callback\":\"+8613800000023\"");
    T_CONTAINS(&c, ans, "\"callback_lifetime_secs\":600");
    T_RESULT(&c, route(e, A, X, NULL, NOW + 3, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "A after modify", &r, C, X, "mc-1");

    /* Not whole minutes: the platform's 1010002 on callbackExpiredTime. */
    snprintf(cmd, sizeof cmd,
             "{\"op\":\"modify\",\"id\":\"mc-1\",\"now\":%llu,\"changes\":"
             "{\"callback_lifetime_secs\":90}}",
             (unsigned long long)(NOW + 4));
    exec(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"kind\":\"RULE_VIOLATION\"");
    T_CONTAINS(&c, ans, "\"platform_code\":\"1010002\"");
    T_CONTAINS(&c, ans, "\"field\":\"callbackExpiredTime\"");

    /* Requested: routes as before until the platform confirms. */
    snprintf(cmd, sizeof cmd,
             "{\"op\":\"request_modify\",\"id\":\"mc-1\",\"now\":%llu,\"changes\":"
             "{\"callback\":\"%s\"}}",
             (unsigned long long)(NOW + 5), B);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"state\":\"modifying\"");
    T_CONTAINS(&c, ans, "\"pending\":{\"callback\":\"+8613800000022\"}");
    T_RESULT(&c, route(e, A, X, NULL, NOW + 6, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "A while modifying", &r, C, X, "mc-1");
    snprintf(cmd, sizeof cmd, "{\"op\":\"settle\",\"id\":\"mc-1\",\"ok\":true,\"now\":%llu}",
             (unsigned long long)(NOW + 7));
    exec_ok(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"state\":\"active\"");
    T_RESULT(&c, route(e, A, X, NULL, NOW + 8, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "A after settle", &r, B, X, "mc-1");
    privnum_engine_free(e);

    /* A pair has no callback number to change. */
    e = new_engine(&c, AXB_CONFIG);
    bind_cmd(cmd, sizeof cmd, "mp-1", A, B, X, NULL);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    snprintf(cmd, sizeof cmd,
             "{\"op\":\"modify\",\"id\":\"mp-1\",\"now\":%llu,\"changes\":{\"callback\":\"%s\"}}",
             (unsigned long long)(NOW + 1), D);
    exec(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"kind\":\"INVALID_ARGUMENT\"");
    T_CONTAINS(&c, ans, "\"field\":\"callbackNum\"");
    T_RESULT(&c, route(e, A, X, NULL, NOW + 2, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "the pair unchanged", &r, B, X, "mp-1");
    privnum_engine_free(e);
    t_end(&c);
}

/* ---- NULL arguments --------------------------------------------------------- */

static void test_null_parameters(void)
{
    t_case c;
    t_begin(&c, "null-parameters");
    const privnum_result NUL = PRIVNUM_RESULT_NULL_PARAMETER;
    privnum_engine *e = new_engine(&c, AXB_CONFIG);
    privnum_engine *out = (privnum_engine *)&c;
    privnum_open_report report;
    memset(&report, T_SENTINEL, sizeof report);
    uint8_t buf[256];
    size_t n = T_SENTINEL_SIZE;
    privnum_route r;
    memset(&r, T_SENTINEL, sizeof r);
    uint32_t mode = 0xA5A5A5A5u;
    char cmd[1024];
    bind_cmd(cmd, sizeof cmd, "n-1", A, B, X, NULL);

    T_RESULT(&c, privnum_engine_new(NULL, 5, &out), NUL);
    T_MESSAGE(&c, "config_json");
    T_RESULT(&c, privnum_engine_new(LIT("{\"mode\":\"axb\"}"), NULL), NUL);
    T_MESSAGE(&c, "out is NULL");

    T_RESULT(&c, privnum_engine_open(NULL, 5, LIT("{\"mode\":\"axb\"}"), &out, &report), NUL);
    T_MESSAGE(&c, "dir");
    T_RESULT(&c, privnum_engine_open(LIT("/nonexistent-privnum"), NULL, 3, &out, &report), NUL);
    T_RESULT(&c, privnum_engine_open(LIT("/nonexistent-privnum"), LIT("{\"mode\":\"axb\"}"), NULL,
                                     &report),
             NUL);
    T_CHECK(&c, access("/nonexistent-privnum", F_OK) != 0);
    T_CHECK(&c, out == (privnum_engine *)&c);
    T_CHECK(&c, t_untouched(&report, sizeof report));

    T_RESULT(&c, privnum_engine_clone(NULL, &out), NUL);
    T_RESULT(&c, privnum_engine_clone(e, NULL), NUL);
    T_CHECK(&c, out == (privnum_engine *)&c);

    /* execute: nothing runs when an argument is NULL. */
    T_RESULT(&c, privnum_engine_execute(NULL, STR(cmd), buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "engine");
    T_RESULT(&c, privnum_engine_execute(e, NULL, 5, buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "cmd_json");
    T_RESULT(&c, privnum_engine_execute(e, STR(cmd), NULL, 10, &n), NUL);
    T_MESSAGE(&c, "buf");
    T_RESULT(&c, privnum_engine_execute(e, STR(cmd), buf, sizeof buf, NULL), NUL);
    T_MESSAGE(&c, "out_n");
    T_CHECK(&c, n == T_SENTINEL_SIZE);
    T_CHECK(&c, privnum_engine_len(e) == 0);

    T_RESULT(&c, privnum_engine_take_answer(NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_engine_take_answer(buf, sizeof buf, NULL), NUL);
    T_CHECK(&c, n == T_SENTINEL_SIZE);

    T_RESULT(&c, privnum_engine_route(NULL, num(A), num(X), NULL, 0, NOW, &r), NUL);
    T_RESULT(&c, privnum_engine_route(e, num(A), num(X), NULL, 4, NOW, &r), NUL);
    T_MESSAGE(&c, "ext");
    T_RESULT(&c, privnum_engine_route(e, num(A), num(X), NULL, 0, NOW, NULL), NUL);
    T_CHECK(&c, t_untouched(&r, sizeof r));

    T_RESULT(&c, privnum_engine_mode(NULL, &mode), NUL);
    T_RESULT(&c, privnum_engine_mode(e, NULL), NUL);
    T_CHECK(&c, mode == 0xA5A5A5A5u);

    /* Infallible getters: NULL is 0; free(NULL) does nothing. */
    T_CHECK(&c, privnum_engine_len(NULL) == 0);
    T_CHECK(&c, privnum_engine_memory_bytes(NULL) == 0);
    privnum_engine_free(NULL);

    /* NULL with length 0 is the empty command: answered as malformed. */
    memset(buf, 0, sizeof buf);
    T_RESULT(&c, privnum_engine_execute(e, NULL, 0, buf, sizeof buf, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, n > 0 && n < sizeof buf && strstr((char *)buf, "INVALID_COMMAND") != NULL);
    privnum_engine_free(e);
    t_end(&c);
}

/* ---- too-small buffers -------------------------------------------------------- */

typedef struct take_ctx {
    privnum_result r;
} take_ctx;

static void *take_on_other_thread(void *arg)
{
    take_ctx *t = arg;
    uint8_t buf[4096];
    size_t n = 0;
    t->r = privnum_engine_take_answer(buf, sizeof buf, &n);
    return NULL;
}

static void test_small_buffers(void)
{
    t_case c;
    t_begin(&c, "too-small-buffers-run-once");
    privnum_engine *e = new_engine(&c, AXB_CONFIG);
    static char ans[ANSWER_CAP];
    static uint8_t buf[ANSWER_CAP];
    char cmd[1024];
    size_t n = T_SENTINEL_SIZE;

    /* Size query: the bind runs once and its answer is held. */
    bind_cmd(cmd, sizeof cmd, "s-1", A, B, X, NULL);
    T_RESULT(&c, privnum_engine_execute(e, STR(cmd), NULL, 0, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    T_MESSAGE(&c, "privnum_engine_take_answer");
    const size_t need = n;
    T_CHECK(&c, need > 20 && need < 4096);
    T_CHECK(&c, privnum_engine_len(e) == 1);
    /* Still one byte short: the same, buf untouched. */
    memset(buf, T_SENTINEL, need);
    T_RESULT(&c, privnum_engine_execute(e, STR(cmd), buf, need - 1, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    T_CHECK(&c, n == need && t_untouched(buf, need));
    /* The identical retry with room delivers the held answer: not run again. */
    n = 0;
    T_RESULT(&c, privnum_engine_execute(e, STR(cmd), buf, need, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, n == need);
    T_CHECK(&c, n >= 6 && memcmp(buf, "{\"ok\":", 6) == 0);
    T_CHECK(&c, privnum_engine_len(e) == 1);
    /* Proof: exactly one "bound" event for s-1. */
    exec_ok(&c, e, "{\"op\":\"events\"}", ans, sizeof ans);
    T_CHECK(&c, count(ans, "\"kind\":\"bound\"") == 1);
    T_CHECK(&c, count(ans, "\"id\":\"s-1\"") == 1);
    /* Delivered: the slot is empty, and the same text is a new command. */
    T_RESULT(&c, privnum_engine_take_answer(buf, sizeof buf, &n), PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_MESSAGE(&c, "no engine answer is held");
    exec(&c, e, cmd, ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"kind\":\"BINDING_EXISTS\"");

    /* privnum_engine_take_answer, with one more too-small attempt. */
    bind_cmd(cmd, sizeof cmd, "s-2", C, D, X, NULL);
    T_RESULT(&c, privnum_engine_execute(e, STR(cmd), buf, 16, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    const size_t need2 = n;
    n = 0;
    T_RESULT(&c, privnum_engine_take_answer(NULL, 0, &n), PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    T_CHECK(&c, n == need2);
    /* Held per thread: another thread has nothing to take. */
    take_ctx t = { PRIVNUM_RESULT_OK };
    pthread_t id;
    if (pthread_create(&id, NULL, take_on_other_thread, &t) == 0) {
        pthread_join(id, NULL);
        T_CHECK(&c, t.r == PRIVNUM_RESULT_INVALID_ARGUMENT);
    } else {
        t_fail(&c, "pthread_create failed");
    }
    T_RESULT(&c, privnum_engine_take_answer(buf, need2, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, n == need2 && memcmp(buf, "{\"ok\":", 6) == 0);
    T_CHECK(&c, privnum_engine_len(e) == 2);
    exec_ok(&c, e, "{\"op\":\"events\"}", ans, sizeof ans);
    T_CHECK(&c, count(ans, "\"id\":\"s-2\"") == 1 && count(ans, "\"kind\":") == 1);

    /* Another command discards the held answer; it is not applied again. */
    bind_cmd(cmd, sizeof cmd, "s-3", "+8613800000031", "+8613800000032", X, NULL);
    T_RESULT(&c, privnum_engine_execute(e, STR(cmd), buf, 1, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    exec_ok(&c, e, "{\"op\":\"len\"}", ans, sizeof ans);
    T_CHECK(&c, strcmp(ans, "{\"ok\":3}") == 0);
    T_RESULT(&c, privnum_engine_take_answer(buf, sizeof buf, &n), PRIVNUM_RESULT_INVALID_ARGUMENT);

    /* An error answer that does not fit is held the same way. */
    bind_cmd(cmd, sizeof cmd, "s-4", A, "+8613800000041", X, NULL);
    T_RESULT(&c, privnum_engine_execute(e, STR(cmd), buf, 8, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    T_RESULT(&c, privnum_engine_execute(e, STR(cmd), buf, sizeof buf, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, n > 10 && memcmp(buf, "{\"error\":{", 10) == 0);

    /* The identical command on ANOTHER engine is not a retry: it runs there. */
    privnum_engine *e2 = new_engine(&c, AXB_CONFIG);
    bind_cmd(cmd, sizeof cmd, "s-5", "+8613800000051", "+8613800000052", X, NULL);
    T_RESULT(&c, privnum_engine_execute(e, STR(cmd), buf, 1, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    exec_ok(&c, e2, cmd, ans, sizeof ans);
    T_CHECK(&c, privnum_engine_len(e) == 4 && privnum_engine_len(e2) == 1);
    privnum_engine_free(e2);
    privnum_engine_free(e);
    t_end(&c);
}

/* ---- handles ----------------------------------------------------------------- */

static void test_free_null_and_clone(void)
{
    t_case c;
    t_begin(&c, "free-null-and-clone");
    privnum_engine_free(NULL);
    privnum_engine *e = new_engine(&c, AXB_CONFIG);
    privnum_engine *e2 = NULL;
    T_RESULT(&c, privnum_engine_clone(e, &e2), PRIVNUM_RESULT_OK);
    T_CHECK(&c, e2 == e);
    static char ans[ANSWER_CAP];
    char cmd[1024];
    bind_cmd(cmd, sizeof cmd, "h-1", A, B, X, NULL);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    privnum_engine_free(e);
    /* The clone keeps the engine alive. */
    T_CHECK(&c, privnum_engine_len(e2) == 1);
    privnum_route r;
    T_RESULT(&c, route(e2, A, X, NULL, NOW, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "through the clone", &r, B, X, "h-1");
    privnum_engine_free(e2);
    t_end(&c);
}

/* ---- platform code and field of the last error ------------------------------ */

typedef privnum_result (*detail_fn)(uint8_t *buf, size_t buf_len, size_t *out_n);

/* Check one detail of the calling thread's last error: the text `want`, or,
 * when `want` is NULL, that there is none (PRIVNUM_RESULT_INVALID_ARGUMENT
 * with *out_n untouched). */
static void check_detail(t_case *c, int line, const char *what, detail_fn f, const char *want)
{
    uint8_t got[64];
    size_t n = T_SENTINEL_SIZE;
    privnum_result r = f(got, sizeof got, &n);
    if (want == NULL) {
        if (r != PRIVNUM_RESULT_INVALID_ARGUMENT || n != T_SENTINEL_SIZE) {
            t_fail(c, "line %d: %s: returned %s with *out_n %zu; expected INVALID_ARGUMENT (none)",
                   line, what, t_name(r), n);
        }
        return;
    }
    if (r != PRIVNUM_RESULT_OK) {
        t_fail(c, "line %d: %s: returned %s, expected \"%s\"", line, what, t_name(r), want);
        return;
    }
    t_text(c, what, got, n, want, strlen(want));
}

#define T_PLATFORM_CODE(c, want)                                                            \
    check_detail((c), __LINE__, "platform code", privnum_last_error_platform_code, (want))
#define T_FIELD(c, want) check_detail((c), __LINE__, "field", privnum_last_error_field, (want))

static void *details_on_fresh_thread(void *arg)
{
    t_case *c = arg;
    T_PLATFORM_CODE(c, NULL);
    T_FIELD(c, NULL);
    return NULL;
}

static void test_last_error_details(void)
{
    t_case c;
    t_begin(&c, "last-error-platform-code-and-field");
    const privnum_result NUL = PRIVNUM_RESULT_NULL_PARAMETER;
    privnum_engine *e = new_engine(&c, AXB_CONFIG);
    static char ans[ANSWER_CAP];
    char cmd[1024];
    privnum_route r;

    /* A typed call refused for one request field: the extension. */
    T_RESULT(&c, route(e, A, X, "12345", NOW, &r), PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_MESSAGE(&c, "extension");
    T_FIELD(&c, "extendNum");
    T_PLATFORM_CODE(&c, NULL);

    /* The details are thread-local: another thread that has not failed has none. */
    pthread_t th;
    T_CHECK(&c, pthread_create(&th, NULL, details_on_fresh_thread, &c) == 0);
    T_CHECK(&c, pthread_join(th, NULL) == 0);
    T_FIELD(&c, "extendNum");

    /* A command refused by a platform rule (A twice on X, 1012010) is an
     * answer, not a failure: the code and field are in the JSON and the last
     * error is left as it was. */
    bind_cmd(cmd, sizeof cmd, "d-1", A, B, X, NULL);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    bind_cmd(cmd, sizeof cmd, "d-2", A, C, X, NULL);
    T_RESULT(&c, run(e, cmd, ans, sizeof ans, NULL), PRIVNUM_RESULT_OK);
    T_CONTAINS(&c, ans, "\"platform_code\":\"1012010\"");
    T_CONTAINS(&c, ans, "\"field\":\"callerNum\"");
    T_FIELD(&c, "extendNum");
    T_PLATFORM_CODE(&c, NULL);
    T_MESSAGE(&c, "extension");

    /* The size protocol, and NULL arguments; none of it changes the last error. */
    uint8_t small[4];
    size_t n = T_SENTINEL_SIZE;
    T_RESULT(&c, privnum_last_error_field(NULL, 0, &n), PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    T_CHECK(&c, n == strlen("extendNum"));
    memset(small, T_SENTINEL, sizeof small);
    n = T_SENTINEL_SIZE;
    T_RESULT(&c, privnum_last_error_field(small, sizeof small, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    T_CHECK(&c, n == strlen("extendNum") && t_untouched(small, sizeof small));
    n = T_SENTINEL_SIZE;
    T_RESULT(&c, privnum_last_error_field(small, sizeof small, NULL), NUL);
    T_RESULT(&c, privnum_last_error_field(NULL, 1, &n), NUL);
    T_RESULT(&c, privnum_last_error_platform_code(small, sizeof small, NULL), NUL);
    T_RESULT(&c, privnum_last_error_platform_code(NULL, 1, &n), NUL);
    T_CHECK(&c, n == T_SENTINEL_SIZE && t_untouched(small, sizeof small));
    T_MESSAGE(&c, "extension");
    T_FIELD(&c, "extendNum");

    /* A later failure that names no field clears it. */
    T_RESULT(&c, privnum_engine_route(NULL, num(A), num(X), NULL, 0, NOW, &r), NUL);
    T_MESSAGE(&c, "engine is NULL");
    T_FIELD(&c, NULL);
    T_PLATFORM_CODE(&c, NULL);
    T_RESULT(&c, route(e, A, X, "0000", NOW, &r), PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_FIELD(&c, "extendNum");
    privnum_engine *bad = NULL;
    T_RESULT(&c, privnum_engine_new(LIT("{\"mode\":\"abc\"}"), &bad),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_CHECK(&c, bad == NULL);
    T_FIELD(&c, NULL);
    T_PLATFORM_CODE(&c, NULL);
    privnum_engine_free(e);
    t_end(&c);
}

/* ---- threads: 4 routers while one thread binds ------------------------------ */

#define N_PAIRS 400
#define N_PREBOUND 50
#define N_ROUTERS 4

typedef struct pair {
    char a[20], b[20], x[20], id[16];
    privnum_number na, nb, nx;
} pair;

typedef struct shared_state {
    privnum_engine *engine;
    pair pairs[N_PAIRS];
    atomic_int bound;   /* pairs [0, bound) are bound */
    atomic_int running; /* routers that have routed at least once */
    atomic_bool done;
} shared_state;

typedef struct router {
    shared_state *sh;
    int index;
    long routes, connects;
    int failures;
    char first_failure[256];
} router;

__attribute__((format(printf, 2, 3))) static void router_fail(router *w, const char *fmt, ...)
{
    if (w->failures++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(w->first_failure, sizeof w->first_failure, fmt, ap);
        va_end(ap);
    }
}

static void route_pair(router *w, int i)
{
    const pair *p = &w->sh->pairs[i];
    /* Read before routing: a pair bound by then must connect. */
    int bound_before = atomic_load(&w->sh->bound);
    bool from_b = (w->routes % 2) == 1;
    privnum_route r;
    privnum_result res = privnum_engine_route(w->sh->engine, from_b ? p->nb : p->na, p->nx, NULL,
                                              0, NOW, &r);
    w->routes++;
    if (res != PRIVNUM_RESULT_OK) {
        router_fail(w, "route pair %d: %s", i, t_name(res));
        return;
    }
    if (r.connect) {
        w->connects++;
        privnum_number want = from_b ? p->na : p->nb;
        if (r.callee.bits != want.bits || r.display.bits != p->nx.bits ||
            strcmp(r.binding_id, p->id) != 0) {
            router_fail(w, "pair %d connected to the wrong party or binding (%s)", i,
                        r.binding_id);
        }
    } else if (i < bound_before || r.close_reason != PRIVNUM_CLOSE_NO_BINDING) {
        router_fail(w, "pair %d (bound before: %d) closed: %s", i, i < bound_before,
                    privnum_close_reason_name(r.close_reason));
    }
}

static void *router_main(void *arg)
{
    router *w = arg;
    unsigned seed = 17u + (unsigned)w->index;
    route_pair(w, 0);
    atomic_fetch_add(&w->sh->running, 1);
    while (!atomic_load(&w->sh->done)) {
        seed = seed * 1103515245u + 12345u;
        route_pair(w, (int)((seed >> 8) % N_PAIRS));
    }
    /* Everything is bound now: every pair connects. */
    for (int i = 0; i < N_PAIRS; i++) {
        long before = w->connects;
        route_pair(w, i);
        if (w->connects != before + 1) {
            router_fail(w, "pair %d does not connect after all binds", i);
        }
    }
    return NULL;
}

static void test_threads(void)
{
    t_case c;
    t_begin(&c, "threads-route-while-binding");
    static shared_state sh;
    sh.engine = new_engine(&c, AXB_CONFIG);
    atomic_init(&sh.bound, 0);
    atomic_init(&sh.running, 0);
    atomic_init(&sh.done, false);
    for (int i = 0; i < N_PAIRS; i++) {
        pair *p = &sh.pairs[i];
        snprintf(p->a, sizeof p->a, "+86138%08d", 1000 + i);
        snprintf(p->b, sizeof p->b, "+86139%08d", 1000 + i);
        snprintf(p->x, sizeof p->x, "+86170%08d", 100 + i % 20);
        snprintf(p->id, sizeof p->id, "th-%d", i);
        p->na = num(p->a);
        p->nb = num(p->b);
        p->nx = num(p->x);
    }
    static char ans[ANSWER_CAP];
    char cmd[1024];
    for (int i = 0; i < N_PREBOUND; i++) {
        const pair *p = &sh.pairs[i];
        bind_cmd(cmd, sizeof cmd, p->id, p->a, p->b, p->x, NULL);
        exec_ok(&c, sh.engine, cmd, ans, sizeof ans);
        atomic_store(&sh.bound, i + 1);
    }
    router routers[N_ROUTERS];
    pthread_t ids[N_ROUTERS];
    int started = 0;
    for (int i = 0; i < N_ROUTERS; i++) {
        memset(&routers[i], 0, sizeof routers[i]);
        routers[i].sh = &sh;
        routers[i].index = i;
        if (pthread_create(&ids[i], NULL, router_main, &routers[i]) != 0) {
            t_fail(&c, "pthread_create failed");
            break;
        }
        started++;
    }
    /* This thread binds the rest while the routers run (once all of them do). */
    while (atomic_load(&sh.running) < started) {
        sched_yield();
    }
    for (int i = N_PREBOUND; i < N_PAIRS; i++) {
        const pair *p = &sh.pairs[i];
        bind_cmd(cmd, sizeof cmd, p->id, p->a, p->b, p->x, NULL);
        exec_ok(&c, sh.engine, cmd, ans, sizeof ans);
        atomic_store(&sh.bound, i + 1);
    }
    atomic_store(&sh.done, true);
    long routes = 0;
    for (int i = 0; i < started; i++) {
        pthread_join(ids[i], NULL);
        routes += routers[i].routes;
        if (routers[i].failures > 0) {
            t_fail(&c, "router %d: %d failures, first: %s", i, routers[i].failures,
                   routers[i].first_failure);
        }
    }
    T_CHECK(&c, routes >= (long)N_ROUTERS * N_PAIRS);
    T_CHECK(&c, privnum_engine_len(sh.engine) == N_PAIRS);
    privnum_engine_free(sh.engine);
    t_end(&c);
}

/* ---- durable engines ----------------------------------------------------------- */

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void test_open_reopen(void)
{
    t_case c;
    t_begin(&c, "open-bind-free-reopen");
    char root[] = "/tmp/privnum-engine-XXXXXX";
    if (mkdtemp(root) == NULL) {
        t_fail(&c, "mkdtemp failed");
        t_end(&c);
        return;
    }
    char dir[256];
    snprintf(dir, sizeof dir, "%s/state", root);
    static const char CONFIG[] = "{\"mode\":\"axb\"}";
    static char ans[ANSWER_CAP];
    char cmd[1024];
    privnum_engine *e = NULL;
    privnum_open_report rep;
    privnum_route r;

    /* A new directory. */
    memset(&rep, T_SENTINEL, sizeof rep);
    T_RESULT(&c, privnum_engine_open(STR(dir), LIT(CONFIG), &e, &rep), PRIVNUM_RESULT_OK);
    T_CHECK(&c, e != NULL);
    T_CHECK(&c, !rep.snapshot_loaded && rep.records_replayed == 0 && rep.bindings == 0);
    T_CHECK(&c, !rep.has_torn_tail && rep.torn_tail_offset == 0 && rep.torn_tail_bytes == 0);
    bind_cmd(cmd, sizeof cmd, "o-1", A, B, X, NULL);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    bind_cmd(cmd, sizeof cmd, "o-2", C, D, X, NULL);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    snprintf(cmd, sizeof cmd, "{\"op\":\"unbind\",\"id\":\"o-2\",\"now\":%llu}",
             (unsigned long long)NOW);
    exec_ok(&c, e, cmd, ans, sizeof ans);
    privnum_engine_free(e);

    /* Reopen: the binding is there again, o-2 stays unbound. */
    e = NULL;
    memset(&rep, T_SENTINEL, sizeof rep);
    T_RESULT(&c, privnum_engine_open(STR(dir), LIT(CONFIG), &e, &rep), PRIVNUM_RESULT_OK);
    T_CHECK(&c, !rep.snapshot_loaded && rep.records_replayed == 3 && rep.bindings == 1);
    T_CHECK(&c, !rep.has_torn_tail);
    T_CHECK(&c, privnum_engine_len(e) == 1);
    exec_ok(&c, e, "{\"op\":\"get\",\"id\":\"o-1\"}", ans, sizeof ans);
    T_CONTAINS(&c, ans, "\"id\":\"o-1\"");
    T_CONTAINS(&c, ans, "\"a\":\"+8613800000021\"");
    exec_ok(&c, e, "{\"op\":\"get\",\"id\":\"o-2\"}", ans, sizeof ans);
    T_CHECK(&c, strcmp(ans, "{\"ok\":null}") == 0);
    T_RESULT(&c, route(e, A, X, NULL, NOW, &r), PRIVNUM_RESULT_OK);
    check_connect(&c, "after reopen", &r, B, X, "o-1");
    privnum_engine_free(e);

    /* A torn last record (a crash mid-append) is cut off and reported. */
    char journal[300];
    snprintf(journal, sizeof journal, "%s/journal.0", dir);
    long size = file_size(journal);
    T_CHECK(&c, size > 16);
    FILE *f = fopen(journal, "ab");
    if (f != NULL) {
        static const unsigned char torn[5] = { 40, 0, 0, 0, 7 };
        fwrite(torn, 1, sizeof torn, f);
        fclose(f);
    }
    e = NULL;
    memset(&rep, T_SENTINEL, sizeof rep);
    T_RESULT(&c, privnum_engine_open(STR(dir), LIT(CONFIG), &e, &rep), PRIVNUM_RESULT_OK);
    T_CHECK(&c, rep.bindings == 1 && rep.records_replayed == 3);
    T_CHECK(&c, rep.has_torn_tail && rep.torn_tail_offset == (uint64_t)size &&
                    rep.torn_tail_bytes == 5);
    T_CHECK(&c, file_size(journal) == size);
    privnum_engine_free(e);

    /* Another mode is refused; *out is untouched. NULL out_report is fine. */
    e = (privnum_engine *)&c;
    T_RESULT(&c, privnum_engine_open(STR(dir), LIT("{\"mode\":\"ax\"}"), &e, NULL),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_CHECK(&c, e == (privnum_engine *)&c);
    e = NULL;
    T_RESULT(&c, privnum_engine_open(STR(dir), LIT(CONFIG), &e, NULL), PRIVNUM_RESULT_OK);
    T_CHECK(&c, privnum_engine_len(e) == 1);
    privnum_engine_free(e);

    /* Snapshots: compact after every 2 records. */
    char dir2[256];
    snprintf(dir2, sizeof dir2, "%s/snap", root);
    static const char SNAP[] = "{\"mode\":\"axb\",\"compact_after\":2,\"fsync\":\"never\"}";
    e = NULL;
    T_RESULT(&c, privnum_engine_open(STR(dir2), LIT(SNAP), &e, NULL), PRIVNUM_RESULT_OK);
    for (int i = 0; i < 5; i++) {
        char a[20], b[20], id[16];
        snprintf(a, sizeof a, "+86138%08d", 500 + i);
        snprintf(b, sizeof b, "+86139%08d", 500 + i);
        snprintf(id, sizeof id, "sn-%d", i);
        bind_cmd(cmd, sizeof cmd, id, a, b, X, NULL);
        exec_ok(&c, e, cmd, ans, sizeof ans);
    }
    privnum_engine_free(e);
    e = NULL;
    memset(&rep, T_SENTINEL, sizeof rep);
    T_RESULT(&c, privnum_engine_open(STR(dir2), LIT(SNAP), &e, &rep), PRIVNUM_RESULT_OK);
    T_CHECK(&c, rep.snapshot_loaded && rep.bindings == 5 && rep.records_replayed < 5);
    T_CHECK(&c, privnum_engine_len(e) == 5);
    privnum_engine_free(e);

    /* Bad directories. */
    e = (privnum_engine *)&c;
    T_RESULT(&c, privnum_engine_open(NULL, 0, LIT(CONFIG), &e, NULL),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_RESULT(&c, privnum_engine_open(STR(journal), LIT(CONFIG), &e, NULL),
             PRIVNUM_RESULT_JOURNAL_IO);
    T_CHECK(&c, e == (privnum_engine *)&c);

    if (nftw(root, remove_entry, 8, FTW_DEPTH | FTW_PHYS) != 0) {
        t_fail(&c, "cannot remove %s", root);
    }
    t_end(&c);
}

/* ---- tests/vectors/engine.json ------------------------------------------------ */

/* The [start, end) of element `index` of the top-level array of an
 * {"ok":[...]} answer, and the number of elements. */
static bool ok_array(const char *answer, size_t n, int32_t index, size_t *start, size_t *end,
                     int32_t *count_out)
{
    const char PREFIX[] = "{\"ok\":[";
    size_t i = sizeof PREFIX - 1;
    if (n < i || memcmp(answer, PREFIX, i) != 0) {
        return false;
    }
    int depth = 0;
    bool in_string = false;
    int32_t k = 0;
    size_t elem_start = i;
    bool empty = answer[i] == ']';
    for (; i < n; i++) {
        char ch = answer[i];
        if (in_string) {
            if (ch == '\\') {
                i++;
            } else if (ch == '"') {
                in_string = false;
            }
            continue;
        }
        if (ch == '"') {
            in_string = true;
        } else if (ch == '{' || ch == '[') {
            depth++;
        } else if (ch == '}' || ch == ']') {
            if (depth == 0) { /* the end of the array */
                if (k == index) {
                    *start = elem_start;
                    *end = i;
                }
                *count_out = empty ? 0 : k + 1;
                return true;
            }
            depth--;
        } else if (ch == ',' && depth == 0) {
            if (k == index) {
                *start = elem_start;
                *end = i;
            }
            k++;
            elem_start = i + 1;
        }
    }
    return false;
}

static bool contains_in(const char *text, size_t start, size_t end, vec_str needle)
{
    if (needle.len > end - start) {
        return false;
    }
    for (size_t i = start; i + needle.len <= end; i++) {
        if (memcmp(text + i, needle.ptr, needle.len) == 0) {
            return true;
        }
    }
    return false;
}

/* Run one step's command: steps rotate between a big buffer, the size
 * protocol (size query, then the identical call) and take_answer after a
 * too-small buffer, so every vector also proves that no command is applied
 * twice (a second bind would be refused and break later steps). */
static privnum_result vector_execute(const privnum_engine *e, vec_str cmd, size_t step,
                                     uint8_t *buf, size_t cap, size_t *n)
{
    privnum_result r;
    switch (step % 3) {
    case 0:
        return privnum_engine_execute(e, U8(cmd.ptr), cmd.len, buf, cap, n);
    case 1:
        r = privnum_engine_execute(e, U8(cmd.ptr), cmd.len, NULL, 0, n);
        if (r != PRIVNUM_RESULT_INSUFFICIENT_SIZE) {
            return r;
        }
        return privnum_engine_execute(e, U8(cmd.ptr), cmd.len, buf, *n, n);
    default:
        r = privnum_engine_execute(e, U8(cmd.ptr), cmd.len, buf, 4, n);
        if (r != PRIVNUM_RESULT_INSUFFICIENT_SIZE) {
            return r;
        }
        return privnum_engine_take_answer(buf, cap, n);
    }
}

static void test_vectors(void)
{
    static uint8_t buf[ANSWER_CAP + 1];
    size_t global_step = 0;
    for (size_t ci = 0; ci < VEC_COUNT(vec_engine_cases); ci++) {
        const vec_engine_case *vc = &vec_engine_cases[ci];
        t_case c;
        t_begin(&c, "engine.json %s", vc->id);
        privnum_engine *e = NULL;
        privnum_result r = privnum_engine_new(U8(vc->config.ptr), vc->config.len, &e);
        if (r != PRIVNUM_RESULT_OK) {
            t_fail(&c, "config %.*s: %s", (int)vc->config.len, vc->config.ptr, t_name(r));
            t_end(&c);
            continue;
        }
        for (size_t si = 0; si < vc->n_steps; si++, global_step++) {
            const vec_engine_step *s = &vec_engine_steps[vc->first_step + si];
            size_t n = 0;
            r = vector_execute(e, s->cmd, global_step, buf, ANSWER_CAP, &n);
            if (r != PRIVNUM_RESULT_OK) {
                t_fail(&c, "step %zu: %.*s: execute returned %s", si, (int)s->cmd.len, s->cmd.ptr,
                       t_name(r));
                continue;
            }
            buf[n] = '\0';
            const char *answer = (const char *)buf;
            bool good = true;
            char why[300] = "";
            int32_t len = -1;
            size_t es = 0, ee = n;
            if (s->ok_len >= 0 && !ok_array(answer, n, -1, &es, &ee, &len)) {
                good = false;
                snprintf(why, sizeof why, "not an ok array");
            } else if (s->ok_len >= 0 && len != s->ok_len) {
                good = false;
                snprintf(why, sizeof why, "%d elements, expected %d", (int)len, (int)s->ok_len);
            }
            if (good && s->error_kind != NULL) {
                /* The kind's number agrees with the C names when they know it. */
                const char *code = strstr(answer, "\"code\":");
                unsigned long num = code ? strtoul(code + 7, NULL, 10) : 0;
                const char *name = privnum_result_name((privnum_result)num);
                if (name != NULL && strcmp(name, s->error_kind) != 0) {
                    good = false;
                    snprintf(why, sizeof why, "code %lu is %s in the C names", num, name);
                }
            }
            for (size_t fi = 0; good && fi < s->n_fragments; fi++) {
                const vec_engine_fragment *f = &vec_engine_fragments[s->first_fragment + fi];
                size_t start = 0, end = n;
                if (f->element >= 0 &&
                    !ok_array(answer, n, f->element, &start, &end, &len)) {
                    good = false;
                    snprintf(why, sizeof why, "no element %d", (int)f->element);
                    break;
                }
                if (!contains_in(answer, start, end, f->text)) {
                    good = false;
                    if (f->element >= 0) {
                        snprintf(why, sizeof why, "missing %.*s in element %d", (int)f->text.len,
                                 f->text.ptr, (int)f->element);
                    } else {
                        snprintf(why, sizeof why, "missing %.*s", (int)f->text.len, f->text.ptr);
                    }
                }
            }
            if (!good) {
                char expected[300];
                if (s->error_kind != NULL) {
                    snprintf(expected, sizeof expected, "error %s platform_code %s field %s",
                             s->error_kind, s->platform_code ? s->platform_code : "-",
                             s->field ? s->field : "-");
                } else {
                    snprintf(expected, sizeof expected, "ok (%zu fragments)", s->n_fragments);
                }
                t_fail(&c, "step %zu: %.*s\n  expected %s: %s\n  got      %s", si,
                       (int)s->cmd.len, s->cmd.ptr, expected, why, answer);
            }
        }
        privnum_engine_free(e);
        t_end(&c);
    }
}

int main(void)
{
    test_axb_rules();
    test_route();
    test_callback_record();
    test_modify_callback();
    test_null_parameters();
    test_small_buffers();
    test_free_null_and_clone();
    test_last_error_details();
    test_threads();
    test_open_reopen();
    test_vectors();
    return t_summary();
}
