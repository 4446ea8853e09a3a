/*
 * Tests of the blocking client (privnum_client_*), host transports
 * (privnum_transport_fn, privnum_http_response_*) and the emulator
 * (privnum_emulator_*): the client against the emulator over real loopback
 * HTTP (bind, query, unbind, a rule refusal with its platform code and HTTP
 * status, the held answer after INSUFFICIENT_SIZE never sending twice), a
 * callback transport that fails "not sent" once and then answers, unknown
 * outcomes, NULL arguments, and one client shared by threads.
 */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "privnum.h"
#include "testutil.h"

#define U8(s) ((const uint8_t *)(s))
#define LIT(s) U8(s), (sizeof(s) - 1)
#define STR(s) U8(s), strlen(s)
#define OB(s) ((uint8_t *)(s))

#define OUT_CAP 65536

static const char KEY[] = "net-test-key";
static const char SECRET[] = "net-test-secret";
static const char CONFIG[] =
    "{\"apps\": [{\"mode\": \"axb\", \"app_key\": \"net-test-key\","
    " \"app_secret\": \"net-test-secret\", \"retry_time_scale\": 60000,"
    " \"numbers\": [{\"number\": \"+8617000000010\", \"area\": \"0755\"},"
    "               {\"number\": \"+8617000000011\", \"area\": \"0755\"}]}]}";

static char out[OUT_CAP];

static bool contains(const char *text, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i + k <= n; i++) {
        if (memcmp(text + i, needle, k) == 0) {
            return true;
        }
    }
    return false;
}

static privnum_op *op_new(t_case *c, const char *name, const char *args)
{
    privnum_op *op = NULL;
    T_RESULT(c, privnum_op_new(STR(name), STR(args), &op), PRIVNUM_RESULT_OK);
    return op;
}

/* Run `op` through `client`; the answer NUL-terminated in `out`. */
static privnum_result run(privnum_client *client, privnum_op *op, size_t *n)
{
    privnum_result r = privnum_client_call(client, op, OB(out), OUT_CAP - 1, n);
    out[r == PRIVNUM_RESULT_OK ? *n : 0] = '\0';
    return r;
}

static void check_last(t_case *c, const char *code, int status)
{
    char buf[64];
    size_t n = 0;
    privnum_result r = privnum_last_error_platform_code((uint8_t *)buf, sizeof buf, &n);
    if (code == NULL) {
        T_CHECK(c, r == PRIVNUM_RESULT_INVALID_ARGUMENT);
    } else {
        T_RESULT(c, r, PRIVNUM_RESULT_OK);
        t_text(c, "platform code", U8(buf), r == PRIVNUM_RESULT_OK ? n : 0, code, strlen(code));
    }
    uint16_t got = 0;
    r = privnum_last_error_http_status(&got);
    if (status < 0) {
        T_CHECK(c, r == PRIVNUM_RESULT_INVALID_ARGUMENT);
    } else {
        T_RESULT(c, r, PRIVNUM_RESULT_OK);
        T_CHECK(c, got == (uint16_t)status);
    }
}

/* Emulator control; the answer NUL-terminated in `out`. */
static void control(t_case *c, privnum_emulator *emu, const char *method, const char *path,
                    const char *body)
{
    size_t n = 0;
    T_RESULT(c,
             privnum_emulator_control(emu, STR(method), STR(path), U8(body),
                                      body ? strlen(body) : 0, OB(out), OUT_CAP - 1, &n),
             PRIVNUM_RESULT_OK);
    out[n < OUT_CAP ? n : 0] = '\0';
}

static size_t count(const char *text, const char *needle)
{
    size_t k = 0;
    for (const char *p = strstr(text, needle); p != NULL; p = strstr(p + 1, needle)) {
        k++;
    }
    return k;
}

static privnum_emulator *start_emulator(t_case *c, char *base, size_t cap, size_t *base_n)
{
    privnum_emulator *emu = NULL;
    T_RESULT(c, privnum_emulator_start(LIT(CONFIG), &emu), PRIVNUM_RESULT_OK);
    if (emu == NULL) {
        return NULL;
    }
    /* Size query, then the URL. */
    size_t need = 0;
    T_RESULT(c, privnum_emulator_base_url(emu, NULL, 0, &need), PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    T_RESULT(c, privnum_emulator_base_url(emu, OB(base), cap, base_n), PRIVNUM_RESULT_OK);
    T_CHECK(c, *base_n == need && strncmp(base, "http://127.0.0.1:", 17) == 0);
    return emu;
}

static privnum_client *loopback_client(t_case *c, const char *base, size_t base_n,
                                       privnum_signer *signer)
{
    privnum_client_config cfg;
    T_RESULT(c, privnum_client_config_default(&cfg), PRIVNUM_RESULT_OK);
    T_CHECK(c, cfg.allow_http == 0 && cfg.max_attempts == 3 && cfg.jitter_percent == 50);
    privnum_client *client = NULL;
    /* The default refuses http:// when sending. */
    cfg.allow_http = 1;
    cfg.initial_backoff_ms = 1;
    T_RESULT(c, privnum_client_new(U8(base), base_n, signer, &cfg, &client), PRIVNUM_RESULT_OK);
    return client;
}

static void test_against_emulator(void)
{
    t_case c;
    t_begin(&c, "client against the emulator");
    char base[64];
    size_t base_n = 0;
    privnum_emulator *emu = start_emulator(&c, base, sizeof base, &base_n);
    privnum_signer *signer = NULL;
    T_RESULT(&c, privnum_signer_new(LIT(KEY), LIT(SECRET), &signer), PRIVNUM_RESULT_OK);
    privnum_client *client = loopback_client(&c, base, base_n, signer);
    if (emu == NULL || client == NULL) {
        t_end(&c);
        return;
    }
    /* The signer may go: the client keeps the key. */
    privnum_signer_free(signer);

    /* Bind, with a buffer too small: sent once, answer held. */
    privnum_op *bind = op_new(&c, "axb.bind",
                              "{\"callerNum\": \"138 0000 0001\", \"calleeNum\": \"13900000002\","
                              " \"relationNum\": \"+8617000000010\"}");
    size_t n = T_SENTINEL_SIZE;
    char small[8];
    memset(small, T_SENTINEL, sizeof small);
    T_RESULT(&c, privnum_client_call(client, bind, OB(small), sizeof small, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    T_CHECK(&c, n > sizeof small && n < 1024 && t_untouched(small, sizeof small));
    size_t need = n;
    /* The identical call with a big enough buffer gets the held answer. */
    T_RESULT(&c, run(client, bind, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, n == need && contains(out, n, "\"subscription_id\":"));
    T_CHECK(&c, contains(out, n, "\"relation_num\":\"+8617000000010\""));
    control(&c, emu, "GET", "bindings", NULL);
    T_CHECK(&c, count(out, "\"id\":") == 1);
    /* Nothing is held any more. */
    T_RESULT(&c, privnum_client_take_answer(OB(out), OUT_CAP, &n), PRIVNUM_RESULT_INVALID_ARGUMENT);

    /* The same held answer through privnum_client_take_answer. */
    privnum_op *query = op_new(&c, "axb.query", "{\"relationNum\": \"+8617000000010\"}");
    T_RESULT(&c, privnum_client_call(client, query, NULL, 0, &n), PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    need = n;
    T_RESULT(&c, privnum_client_take_answer(OB(out), OUT_CAP - 1, &n), PRIVNUM_RESULT_OK);
    out[n] = '\0';
    T_CHECK(&c, n == need && contains(out, n, "\"caller_num\":\"+8613800000001\""));

    /* A rule refusal: B already bound on X (1012010, HTTP 400). */
    privnum_op *again = op_new(&c, "axb.bind",
                               "{\"callerNum\": \"13700000003\", \"calleeNum\": \"13900000002\","
                               " \"relationNum\": \"+8617000000010\"}");
    n = T_SENTINEL_SIZE;
    T_RESULT(&c, privnum_client_call(client, again, OB(out), OUT_CAP, &n),
             PRIVNUM_RESULT_PLATFORM_CONFLICT);
    T_CHECK(&c, n == T_SENTINEL_SIZE);
    check_last(&c, "1012010", 400);

    /* A call through the binding is connected to B. */
    control(&c, emu, "POST", "/_emulator/calls",
            "{\"caller\": \"+8613800000001\", \"dialled\": \"+8617000000010\"}");
    T_CHECK(&c, contains(out, strlen(out), "\"operation\":\"connect\""));
    T_CHECK(&c, contains(out, strlen(out), "\"callee\":\"+8613900000002\""));
    /* A refused control operation is answered inside the JSON. */
    control(&c, emu, "POST", "calls", "{\"dialled\": \"+8617000000010\"}");
    T_CHECK(&c, contains(out, strlen(out), "\"error\"") && contains(out, strlen(out), "caller"));
    bool idle = false;
    T_RESULT(&c, privnum_emulator_wait_idle(emu, 5000, &idle), PRIVNUM_RESULT_OK);
    T_CHECK(&c, idle);

    /* Unbind; then the query finds nothing. */
    privnum_op *unbind = op_new(&c, "axb.unbind", "{\"relationNum\": \"+8617000000010\"}");
    T_RESULT(&c, run(client, unbind, &n), PRIVNUM_RESULT_OK);
    t_text(&c, "unbind output", OB(out), n, "{}", 2);
    privnum_result r = run(client, query, &n);
    T_CHECK(&c, r == PRIVNUM_RESULT_OK || r == PRIVNUM_RESULT_PLATFORM_NOT_FOUND);

    /* The default config refuses http:// base URLs. */
    privnum_client *strict = NULL;
    privnum_signer *s2 = NULL;
    T_RESULT(&c, privnum_signer_new(LIT(KEY), LIT(SECRET), &s2), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_client_new(U8(base), base_n, s2, NULL, &strict), PRIVNUM_RESULT_OK);
    T_RESULT(&c, run(strict, query, &n), PRIVNUM_RESULT_INVALID_ARGUMENT);
    privnum_client_free(strict);
    privnum_signer_free(s2);

    privnum_op_free(bind);
    privnum_op_free(again);
    privnum_op_free(query);
    privnum_op_free(unbind);
    privnum_client_free(client);
    privnum_emulator_free(emu);
    t_end(&c);
}

/* A scripted host transport. */
typedef struct script {
    int calls;
    int fail_first;       /* how many attempts fail before it answers */
    uint32_t fail_with;   /* PRIVNUM_TRANSPORT_NOT_SENT, _MAYBE_SENT or junk */
    unsigned status;
    const char *body;
    bool saw_aksk;
    bool saw_post;
    bool url_ok;
    bool body_ok;
} script;

static uint32_t scripted_send(void *user_data, const privnum_http_request *req,
                              privnum_http_response *resp)
{
    script *s = (script *)user_data;
    s->calls++;
    s->saw_post = req->method.len == 4 && memcmp(req->method.data, "POST", 4) == 0;
    s->url_ok = req->url.len > 21 && memcmp(req->url.data, "https://platform.test/", 22) == 0;
    s->body_ok = req->body.data == NULL || contains((const char *)req->body.data, req->body.len,
                                                    "\"callerNum\":\"+8613800000001\"");
    for (size_t i = 0; i < req->header_count; i++) {
        if (req->headers[i].name.len == 6 && memcmp(req->headers[i].name.data, "X-AKSK", 6) == 0) {
            s->saw_aksk = req->headers[i].value.len > 0;
        }
    }
    if (s->calls <= s->fail_first) {
        privnum_http_response_set_error(resp, LIT("connection refused by 13800000001"));
        return s->fail_with;
    }
    if (privnum_http_response_set_status(resp, s->status) != PRIVNUM_RESULT_OK) {
        return PRIVNUM_TRANSPORT_MAYBE_SENT;
    }
    /* In two pieces, to show appending. */
    size_t len = strlen(s->body);
    privnum_http_response_append_body(resp, U8(s->body), len / 2);
    privnum_http_response_append_body(resp, U8(s->body + len / 2), len - len / 2);
    return PRIVNUM_TRANSPORT_ANSWERED;
}

static privnum_client *scripted_client(t_case *c, privnum_signer *signer, script *s)
{
    privnum_client_config cfg;
    T_RESULT(c, privnum_client_config_default(&cfg), PRIVNUM_RESULT_OK);
    cfg.initial_backoff_ms = 1;
    cfg.max_backoff_ms = 2;
    cfg.jitter_percent = 0;
    privnum_client *client = NULL;
    T_RESULT(c,
             privnum_client_new_with_transport(LIT("https://platform.test/"), signer, &cfg,
                                               scripted_send, s, &client),
             PRIVNUM_RESULT_OK);
    return client;
}

static const char BOUND[] =
    "{\"resultcode\":\"0\",\"resultdesc\":\"Success\",\"subscriptionId\":\"s-1\","
    "\"relationNum\":\"+8617000000010\"}";

static void test_callback_transport(void)
{
    t_case c;
    t_begin(&c, "callback transport");
    privnum_signer *signer = NULL;
    T_RESULT(&c, privnum_signer_new(LIT(KEY), LIT(SECRET), &signer), PRIVNUM_RESULT_OK);
    privnum_op *bind = op_new(&c, "axb.bind",
                              "{\"callerNum\": \"13800000001\", \"calleeNum\": \"13900000002\"}");
    size_t n = 0;

    /* Not sent once, then answered: the bind is sent again and succeeds. */
    script s = {.fail_first = 1, .fail_with = PRIVNUM_TRANSPORT_NOT_SENT, .status = 200, .body = BOUND};
    privnum_client *client = scripted_client(&c, signer, &s);
    T_RESULT(&c, run(client, bind, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, s.calls == 2);
    T_CHECK(&c, s.saw_post && s.url_ok && s.body_ok && s.saw_aksk);
    T_CHECK(&c, contains(out, n, "\"subscription_id\":\"s-1\""));
    privnum_client_free(client);

    /* Not sent every time: TRANSPORT_NOT_SENT after 3 attempts, number masked. */
    script s2 = {.fail_first = 99, .fail_with = PRIVNUM_TRANSPORT_NOT_SENT};
    client = scripted_client(&c, signer, &s2);
    T_RESULT(&c, run(client, bind, &n), PRIVNUM_RESULT_TRANSPORT_NOT_SENT);
    T_CHECK(&c, s2.calls == 3);
    char msg[1024];
    t_last_error(msg, sizeof msg);
    T_CHECK(&c, strstr(msg, "connection refused") != NULL && strstr(msg, "13800000001") == NULL);
    check_last(&c, NULL, -1);
    privnum_client_free(client);

    /* Maybe sent: a bind without X cannot be settled, and is not re-sent. */
    script s3 = {.fail_first = 99, .fail_with = PRIVNUM_TRANSPORT_MAYBE_SENT};
    client = scripted_client(&c, signer, &s3);
    T_RESULT(&c, run(client, bind, &n), PRIVNUM_RESULT_OUTCOME_UNKNOWN);
    T_CHECK(&c, s3.calls == 1);
    privnum_client_free(client);

    /* An unknown callback value counts as maybe sent: a query is retried. */
    privnum_op *query = op_new(&c, "axb.query", "{\"relationNum\": \"+8617000000010\"}");
    script s4 = {.fail_first = 99, .fail_with = 77};
    client = scripted_client(&c, signer, &s4);
    T_RESULT(&c, run(client, query, &n), PRIVNUM_RESULT_TRANSPORT_NO_RESPONSE);
    T_CHECK(&c, s4.calls == 3);
    privnum_client_free(client);

    /* A refusal answered by the host: platform code and HTTP status. */
    script s5 = {.status = 200,
                 .body = "{\"resultcode\":\"1012010\",\"resultdesc\":\"bound already\"}"};
    client = scripted_client(&c, signer, &s5);
    n = T_SENTINEL_SIZE;
    T_RESULT(&c, privnum_client_call(client, bind, OB(out), OUT_CAP, &n),
             PRIVNUM_RESULT_PLATFORM_CONFLICT);
    T_CHECK(&c, n == T_SENTINEL_SIZE && s5.calls == 1);
    check_last(&c, "1012010", 200);
    privnum_client_free(client);

    /* A bad status from the callback is refused; the attempt is maybe sent. */
    script s6 = {.status = 1000, .body = BOUND};
    client = scripted_client(&c, signer, &s6);
    T_RESULT(&c, run(client, bind, &n), PRIVNUM_RESULT_OUTCOME_UNKNOWN);
    privnum_client_free(client);

    privnum_op_free(query);
    privnum_op_free(bind);
    privnum_signer_free(signer);
    t_end(&c);
}

static void test_null_arguments(void)
{
    t_case c;
    t_begin(&c, "NULL arguments and bad configurations");
    privnum_signer *signer = NULL;
    T_RESULT(&c, privnum_signer_new(LIT(KEY), LIT(SECRET), &signer), PRIVNUM_RESULT_OK);
    privnum_client *client = (privnum_client *)(uintptr_t)T_SENTINEL_BITS;
    T_RESULT(&c, privnum_client_new(LIT("https://h"), NULL, NULL, &client),
             PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_client_new(LIT("https://h"), signer, NULL, NULL),
             PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_client_new(LIT("not a url"), signer, NULL, &client),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_RESULT(&c, privnum_client_new_with_transport(LIT("https://h"), signer, NULL, NULL, NULL, &client),
             PRIVNUM_RESULT_NULL_PARAMETER);
    privnum_client_config cfg;
    privnum_client_config_default(&cfg);
    cfg.allow_http = 2;
    T_RESULT(&c, privnum_client_new(LIT("https://h"), signer, &cfg, &client),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    privnum_client_config_default(&cfg);
    cfg.jitter_percent = 101;
    T_RESULT(&c, privnum_client_new(LIT("https://h"), signer, &cfg, &client),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_CHECK(&c, client == (privnum_client *)(uintptr_t)T_SENTINEL_BITS);
    T_RESULT(&c, privnum_client_config_default(NULL), PRIVNUM_RESULT_NULL_PARAMETER);

    T_RESULT(&c, privnum_client_new(LIT("https://h"), signer, NULL, &client), PRIVNUM_RESULT_OK);
    size_t n = 0;
    T_RESULT(&c, privnum_client_call(client, NULL, OB(out), OUT_CAP, &n),
             PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_client_call(NULL, NULL, OB(out), OUT_CAP, &n),
             PRIVNUM_RESULT_NULL_PARAMETER);
    privnum_client *copy = NULL;
    T_RESULT(&c, privnum_client_clone(client, &copy), PRIVNUM_RESULT_OK);
    T_CHECK(&c, copy == client);
    privnum_client_free(copy);
    privnum_client_free(client);
    privnum_client_free(NULL);

    T_RESULT(&c, privnum_http_response_set_status(NULL, 200), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_http_response_append_body(NULL, NULL, 0), PRIVNUM_RESULT_NULL_PARAMETER);

    privnum_emulator *emu = (privnum_emulator *)(uintptr_t)T_SENTINEL_BITS;
    T_RESULT(&c, privnum_emulator_start(LIT("{\"apps\": [{\"mode\": \"axb\"}]}"), &emu),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    char field[64];
    T_RESULT(&c, privnum_last_error_field((uint8_t *)field, sizeof field, &n), PRIVNUM_RESULT_OK);
    t_text(&c, "field", U8(field), n, "app_key", 7);
    T_RESULT(&c, privnum_emulator_start(LIT("{\"prot\": 1}"), &emu), PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_RESULT(&c, privnum_emulator_start(LIT("{"), &emu), PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_CHECK(&c, emu == (privnum_emulator *)(uintptr_t)T_SENTINEL_BITS);
    T_RESULT(&c, privnum_emulator_start(NULL, 0, NULL), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_emulator_base_url(NULL, OB(out), OUT_CAP, &n),
             PRIVNUM_RESULT_NULL_PARAMETER);
    bool idle = false;
    T_RESULT(&c, privnum_emulator_wait_idle(NULL, 1, &idle), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_emulator_take_answer(OB(out), OUT_CAP, &n),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    privnum_emulator_free(NULL);

    /* NULL config: the demo application. */
    emu = NULL;
    T_RESULT(&c, privnum_emulator_start(NULL, 0, &emu), PRIVNUM_RESULT_OK);
    control(&c, emu, "GET", "apps", NULL);
    T_CHECK(&c, strstr(out, "\"app_key\":\"emulator-app-key\"") != NULL);
    T_CHECK(&c, strstr(out, "emulator-app-secret") == NULL);
    /* A held control answer: the identical call delivers it. */
    T_RESULT(&c, privnum_emulator_control(emu, LIT("GET"), LIT("apps"), NULL, 0, NULL, 0, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    size_t need = n;
    T_RESULT(&c, privnum_emulator_control(emu, LIT("GET"), LIT("apps"), NULL, 0, OB(out), need, &n),
             PRIVNUM_RESULT_OK);
    T_CHECK(&c, n == need);
    privnum_emulator *emu2 = NULL;
    T_RESULT(&c, privnum_emulator_clone(emu, &emu2), PRIVNUM_RESULT_OK);
    privnum_emulator_free(emu);
    privnum_emulator_free(emu2);
    privnum_signer_free(signer);
    t_end(&c);
}

typedef struct worker {
    privnum_client *client;
    privnum_op *op;
    int ok;
} worker;

static void *work(void *arg)
{
    worker *w = (worker *)arg;
    char buf[4096];
    for (int i = 0; i < 10; i++) {
        size_t n = 0;
        if (privnum_client_call(w->client, w->op, OB(buf), sizeof buf, &n) == PRIVNUM_RESULT_OK) {
            w->ok++;
        }
    }
    return NULL;
}

static void test_threads(void)
{
    t_case c;
    t_begin(&c, "one client, several threads");
    char base[64];
    size_t base_n = 0;
    privnum_emulator *emu = start_emulator(&c, base, sizeof base, &base_n);
    privnum_signer *signer = NULL;
    T_RESULT(&c, privnum_signer_new(LIT(KEY), LIT(SECRET), &signer), PRIVNUM_RESULT_OK);
    privnum_client *client = loopback_client(&c, base, base_n, signer);
    privnum_op *bind = op_new(&c, "axb.bind",
                              "{\"callerNum\": \"13800000001\", \"calleeNum\": \"13900000002\","
                              " \"relationNum\": \"+8617000000011\"}");
    size_t n = 0;
    T_RESULT(&c, run(client, bind, &n), PRIVNUM_RESULT_OK);
    privnum_op *query = op_new(&c, "axb.query", "{\"relationNum\": \"+8617000000011\"}");
    worker w[4];
    pthread_t t[4];
    for (int i = 0; i < 4; i++) {
        w[i] = (worker){.client = client, .op = query, .ok = 0};
        T_CHECK(&c, pthread_create(&t[i], NULL, work, &w[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        T_CHECK(&c, w[i].ok == 10);
    }
    privnum_op_free(query);
    privnum_op_free(bind);
    privnum_client_free(client);
    privnum_signer_free(signer);
    privnum_emulator_free(emu);
    t_end(&c);
}

int main(void)
{
    test_against_emulator();
    test_callback_transport();
    test_null_arguments();
    test_threads();
    return t_summary();
}
