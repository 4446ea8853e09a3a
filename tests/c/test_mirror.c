/*
 * Tests of privnum_mirror_* against the emulator over real loopback HTTP: a
 * bind recorded in the engine and confirmed (the held answer after
 * INSUFFICIENT_SIZE never sending twice), a platform refusal taken back, an
 * engine refusal never sent, an operation the mirror does not record,
 * reconciling with a binding made directly on the platform (reported, then
 * imported), tick, the engine shared with the caller's handle, NULL
 * arguments, and one mirror shared by threads.
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

static const char KEY[] = "mirror-test-key";
static const char SECRET[] = "mirror-test-secret";
static const char CONFIG[] =
    "{\"apps\": [{\"mode\": \"axb\", \"app_key\": \"mirror-test-key\","
    " \"app_secret\": \"mirror-test-secret\", \"retry_time_scale\": 60000,"
    " \"numbers\": [{\"number\": \"+8617000000010\", \"area\": \"0755\"},"
    "               {\"number\": \"+8617000000011\", \"area\": \"0755\"}]}]}";

static char out[OUT_CAP];

static bool has(const char *needle)
{
    return strstr(out, needle) != NULL;
}

static size_t count(const char *needle)
{
    size_t k = 0;
    for (const char *p = strstr(out, needle); p != NULL; p = strstr(p + 1, needle)) {
        k++;
    }
    return k;
}

static privnum_op *op_new(t_case *c, const char *name, const char *args)
{
    privnum_op *op = NULL;
    T_RESULT(c, privnum_op_new(STR(name), STR(args), &op), PRIVNUM_RESULT_OK);
    return op;
}

/* A mirror call; the answer NUL-terminated in `out`. */
static privnum_result mcall(privnum_mirror *m, privnum_op *op, size_t *n)
{
    privnum_result r = privnum_mirror_call(m, op, OB(out), OUT_CAP - 1, n);
    out[r == PRIVNUM_RESULT_OK ? *n : 0] = '\0';
    return r;
}

static privnum_result mreconcile(privnum_mirror *m, uint32_t apply, size_t *n)
{
    privnum_result r = privnum_mirror_reconcile(m, apply, OB(out), OUT_CAP - 1, n);
    out[r == PRIVNUM_RESULT_OK ? *n : 0] = '\0';
    return r;
}

static void engine_cmd(t_case *c, privnum_engine *e, const char *cmd)
{
    size_t n = 0;
    T_RESULT(c, privnum_engine_execute(e, STR(cmd), OB(out), OUT_CAP - 1, &n), PRIVNUM_RESULT_OK);
    out[n < OUT_CAP ? n : 0] = '\0';
}

static void emulator_bindings(t_case *c, privnum_emulator *emu)
{
    size_t n = 0;
    T_RESULT(c,
             privnum_emulator_control(emu, LIT("GET"), LIT("bindings"), NULL, 0, OB(out),
                                      OUT_CAP - 1, &n),
             PRIVNUM_RESULT_OK);
    out[n < OUT_CAP ? n : 0] = '\0';
}

/* Copy the first id of the answer's "ids" into `id`. */
static void first_id(t_case *c, char *id, size_t cap)
{
    id[0] = '\0';
    const char *p = strstr(out, "\"ids\":[\"");
    T_CHECK(c, p != NULL);
    if (p == NULL) {
        return;
    }
    p += 8;
    size_t k = 0;
    while (p[k] != '"' && p[k] != '\0' && k + 1 < cap) {
        id[k] = p[k];
        k++;
    }
    id[k] = '\0';
}

static void check_last_code(t_case *c, const char *code)
{
    char buf[64];
    size_t n = 0;
    T_RESULT(c, privnum_last_error_platform_code(OB(buf), sizeof buf, &n), PRIVNUM_RESULT_OK);
    t_text(c, "platform code", U8(buf), n < sizeof buf ? n : 0, code, strlen(code));
}

typedef struct fixture {
    privnum_emulator *emu;
    privnum_client *client;
    privnum_engine *engine;
    privnum_mirror *mirror;
} fixture;

static bool setup(t_case *c, fixture *f)
{
    memset(f, 0, sizeof *f);
    T_RESULT(c, privnum_emulator_start(LIT(CONFIG), &f->emu), PRIVNUM_RESULT_OK);
    if (f->emu == NULL) {
        return false;
    }
    char base[64];
    size_t base_n = 0;
    T_RESULT(c, privnum_emulator_base_url(f->emu, OB(base), sizeof base, &base_n),
             PRIVNUM_RESULT_OK);
    privnum_signer *signer = NULL;
    T_RESULT(c, privnum_signer_new(LIT(KEY), LIT(SECRET), &signer), PRIVNUM_RESULT_OK);
    privnum_client_config cfg;
    T_RESULT(c, privnum_client_config_default(&cfg), PRIVNUM_RESULT_OK);
    cfg.allow_http = 1;
    cfg.initial_backoff_ms = 1;
    T_RESULT(c, privnum_client_new(U8(base), base_n, signer, &cfg, &f->client), PRIVNUM_RESULT_OK);
    privnum_signer_free(signer);
    T_RESULT(c, privnum_engine_new(LIT("{\"mode\": \"axb\"}"), &f->engine), PRIVNUM_RESULT_OK);
    if (f->client == NULL || f->engine == NULL) {
        return false;
    }
    f->mirror = (privnum_mirror *)(uintptr_t)T_SENTINEL_BITS;
    T_RESULT(c, privnum_mirror_new(f->client, f->engine, &f->mirror), PRIVNUM_RESULT_OK);
    return f->mirror != NULL && f->mirror != (privnum_mirror *)(uintptr_t)T_SENTINEL_BITS;
}

static void teardown(fixture *f)
{
    privnum_mirror_free(f->mirror);
    privnum_engine_free(f->engine);
    privnum_client_free(f->client);
    privnum_emulator_free(f->emu);
}

static void test_bind_confirmed_held_and_undone(void)
{
    t_case c;
    t_begin(&c, "mirror: bind confirmed, held answer, modify, unbind");
    fixture f;
    if (!setup(&c, &f)) {
        teardown(&f);
        t_end(&c);
        return;
    }
    privnum_op *bind = op_new(&c, "axb.bind",
                              "{\"callerNum\": \"13800000001\", \"calleeNum\": \"13900000002\","
                              " \"relationNum\": \"+8617000000010\"}");
    /* Too small: bound and recorded once, the answer held. */
    size_t n = T_SENTINEL_SIZE;
    char small[8];
    memset(small, T_SENTINEL, sizeof small);
    T_RESULT(&c, privnum_mirror_call(f.mirror, bind, OB(small), sizeof small, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    T_CHECK(&c, n > sizeof small && n < 4096 && t_untouched(small, sizeof small));
    size_t need = n;
    /* The identical call gets the held answer without sending again. */
    T_RESULT(&c, mcall(f.mirror, bind, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, n == need);
    T_CHECK(&c, has("\"answer\":\"confirmed\"") && has("\"operation\":\"axb.bind\""));
    T_CHECK(&c, has("\"relation_num\":\"+8617000000010\"") && has("\"record_error\":null"));
    T_CHECK(&c, has("\"state\":\"active\""));
    char id[80];
    first_id(&c, id, sizeof id);
    T_CHECK(&c, strlen(id) > 0 && strncmp(id, "pending-", 8) != 0);
    T_RESULT(&c, privnum_mirror_take_answer(OB(out), OUT_CAP, &n), PRIVNUM_RESULT_INVALID_ARGUMENT);
    emulator_bindings(&c, f.emu);
    T_CHECK(&c, count("\"id\":") == 1);

    /* The caller's engine handle sees it: active, and routing through it. */
    char cmd[256];
    snprintf(cmd, sizeof cmd, "{\"op\": \"get\", \"id\": \"%s\"}", id);
    engine_cmd(&c, f.engine, cmd);
    T_CHECK(&c, has("\"state\":\"active\"") && has("\"x\":\"+8617000000010\""));
    engine_cmd(&c, f.engine,
               "{\"op\": \"route\", \"caller\": \"+8613800000001\", \"dialled\": "
               "\"+8617000000010\", \"now\": 1}");
    T_CHECK(&c, has("\"callee\":\"+8613900000002\""));

    /* Modify and unbind through the mirror. */
    char args[256];
    snprintf(args, sizeof args, "{\"subscriptionId\": \"%s\", \"recordFlag\": true}", id);
    privnum_op *modify = op_new(&c, "axb.modify", args);
    T_RESULT(&c, mcall(f.mirror, modify, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, has("\"answer\":\"confirmed\"") && has("\"output\":{}") && has("\"record\":true"));
    snprintf(args, sizeof args, "{\"subscriptionId\": \"%s\"}", id);
    privnum_op *unbind = op_new(&c, "axb.unbind", args);
    T_RESULT(&c, mcall(f.mirror, unbind, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, has("\"answer\":\"confirmed\"") && has("\"bindings\":[]"));
    engine_cmd(&c, f.engine, "{\"op\": \"len\"}");
    T_CHECK(&c, strcmp(out, "{\"ok\":0}") == 0);

    /* Nothing expired. */
    size_t expired = T_SENTINEL_SIZE;
    T_RESULT(&c, privnum_mirror_tick(f.mirror, &expired), PRIVNUM_RESULT_OK);
    T_CHECK(&c, expired == 0);

    privnum_op_free(bind);
    privnum_op_free(modify);
    privnum_op_free(unbind);
    teardown(&f);
    t_end(&c);
}

static void test_refusals(void)
{
    t_case c;
    t_begin(&c, "mirror: refused by the platform, by the engine, not mirrored");
    fixture f;
    if (!setup(&c, &f)) {
        teardown(&f);
        t_end(&c);
        return;
    }
    /* A is bound on X directly on the platform; the engine does not know. */
    privnum_op *direct = op_new(&c, "axb.bind",
                                "{\"callerNum\": \"13800000001\", \"calleeNum\": \"13900000004\","
                                " \"relationNum\": \"+8617000000010\"}");
    size_t n = 0;
    T_RESULT(&c, privnum_client_call(f.client, direct, OB(out), OUT_CAP, &n), PRIVNUM_RESULT_OK);
    privnum_op *bind = op_new(&c, "axb.bind",
                              "{\"callerNum\": \"13800000001\", \"calleeNum\": \"13900000002\","
                              " \"relationNum\": \"+8617000000010\"}");
    /* Refused by the platform: answered OK, taken back in the engine. */
    T_RESULT(&c, mcall(f.mirror, bind, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, has("\"answer\":\"refused\"") && has("\"output\":null"));
    T_CHECK(&c, has("\"kind\":\"PLATFORM_CONFLICT\"") && has("\"platform_code\":\"1012010\""));
    T_CHECK(&c, has("\"bindings\":[]"));
    engine_cmd(&c, f.engine, "{\"op\": \"len\"}");
    T_CHECK(&c, strcmp(out, "{\"ok\":0}") == 0);
    engine_cmd(&c, f.engine, "{\"op\": \"events\"}");
    T_CHECK(&c, has("\"kind\":\"failed\"") && has("\"code\":\"1012010\""));

    /* Refused by the engine (another mode's bind): an error, nothing sent. */
    privnum_op *ax = op_new(&c, "ax.bind",
                            "{\"origNum\": \"13800000003\", \"privateNum\": \"+8617000000011\"}");
    n = T_SENTINEL_SIZE;
    T_RESULT(&c, privnum_mirror_call(f.mirror, ax, OB(out), OUT_CAP, &n),
             PRIVNUM_RESULT_RULE_VIOLATION);
    T_CHECK(&c, n == T_SENTINEL_SIZE);
    check_last_code(&c, "1010040");
    /* A binding the engine does not hold. */
    privnum_op *unbind = op_new(&c, "axb.unbind", "{\"subscriptionId\": \"nope\"}");
    T_RESULT(&c, mcall(f.mirror, unbind, &n), PRIVNUM_RESULT_BINDING_NOT_FOUND);
    /* A query: not mirrored. */
    privnum_op *query = op_new(&c, "axb.query", "{\"relationNum\": \"+8617000000010\"}");
    T_RESULT(&c, mcall(f.mirror, query, &n), PRIVNUM_RESULT_INVALID_ARGUMENT);
    char msg[512];
    t_last_error(msg, sizeof msg);
    T_CHECK(&c, strstr(msg, "axb.query") != NULL);
    emulator_bindings(&c, f.emu);
    T_CHECK(&c, count("\"id\":") == 1);

    privnum_op_free(direct);
    privnum_op_free(bind);
    privnum_op_free(ax);
    privnum_op_free(unbind);
    privnum_op_free(query);
    teardown(&f);
    t_end(&c);
}

static void test_reconcile(void)
{
    t_case c;
    t_begin(&c, "mirror: reconcile reports and imports a binding made on the platform");
    fixture f;
    if (!setup(&c, &f)) {
        teardown(&f);
        t_end(&c);
        return;
    }
    privnum_op *bind = op_new(&c, "axb.bind",
                              "{\"callerNum\": \"13800000001\", \"calleeNum\": \"13900000002\","
                              " \"relationNum\": \"+8617000000010\"}");
    size_t n = 0;
    T_RESULT(&c, mcall(f.mirror, bind, &n), PRIVNUM_RESULT_OK);
    privnum_op *direct = op_new(&c, "axb.bind",
                                "{\"callerNum\": \"13800000003\", \"calleeNum\": \"13900000004\","
                                " \"relationNum\": \"+8617000000010\"}");
    T_RESULT(&c, privnum_client_call(f.client, direct, OB(out), OUT_CAP, &n), PRIVNUM_RESULT_OK);

    /* Report only; the size first (the answer is held, not queried twice). */
    T_RESULT(&c, privnum_mirror_reconcile(f.mirror, 0, NULL, 0, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    size_t need = n;
    T_RESULT(&c, privnum_mirror_take_answer(OB(out), OUT_CAP - 1, &n), PRIVNUM_RESULT_OK);
    out[n] = '\0';
    T_CHECK(&c, n == need);
    T_CHECK(&c, count("\"kind\":\"only_on_platform\"") == 1 && has("\"fix\":\"import\""));
    T_CHECK(&c, has("\"a\":\"+8613800000003\"") && has("\"applied\":null"));
    T_CHECK(&c, has("\"query_errors\":[]") && has("\"unchecked\":[]"));
    engine_cmd(&c, f.engine, "{\"op\": \"len\"}");
    T_CHECK(&c, strcmp(out, "{\"ok\":1}") == 0);

    /* Applied: imported. */
    T_RESULT(&c, mreconcile(f.mirror, 1, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, has("\"applied\":{\"applied\":1,\"errors\":[],\"skipped\":0}"));
    engine_cmd(&c, f.engine, "{\"op\": \"len\"}");
    T_CHECK(&c, strcmp(out, "{\"ok\":2}") == 0);
    T_RESULT(&c, mreconcile(f.mirror, 0, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, has("\"differences\":[]"));
    T_RESULT(&c, mreconcile(f.mirror, 2, &n), PRIVNUM_RESULT_INVALID_ARGUMENT);

    privnum_op_free(bind);
    privnum_op_free(direct);
    teardown(&f);
    t_end(&c);
}

static void test_ownership_and_nulls(void)
{
    t_case c;
    t_begin(&c, "mirror: references, clone, NULL arguments");
    fixture f;
    if (!setup(&c, &f)) {
        teardown(&f);
        t_end(&c);
        return;
    }
    size_t n = 0;
    privnum_op *bind = op_new(&c, "axb.bind",
                              "{\"callerNum\": \"13800000001\", \"calleeNum\": \"13900000002\","
                              " \"relationNum\": \"+8617000000010\"}");
    /* The mirror keeps the client: the caller's handle may go first. */
    privnum_client_free(f.client);
    f.client = NULL;
    privnum_mirror *copy = NULL;
    T_RESULT(&c, privnum_mirror_clone(f.mirror, &copy), PRIVNUM_RESULT_OK);
    T_CHECK(&c, copy == f.mirror);
    T_RESULT(&c, mcall(copy, bind, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, has("\"answer\":\"confirmed\""));
    privnum_mirror_free(copy);

    privnum_mirror *m = (privnum_mirror *)(uintptr_t)T_SENTINEL_BITS;
    T_RESULT(&c, privnum_mirror_new(NULL, f.engine, &m), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_mirror_new(NULL, NULL, NULL), PRIVNUM_RESULT_NULL_PARAMETER);
    T_CHECK(&c, m == (privnum_mirror *)(uintptr_t)T_SENTINEL_BITS);
    T_RESULT(&c, privnum_mirror_call(NULL, bind, OB(out), OUT_CAP, &n),
             PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_mirror_call(f.mirror, NULL, OB(out), OUT_CAP, &n),
             PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_mirror_call(f.mirror, bind, OB(out), OUT_CAP, NULL),
             PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_mirror_reconcile(NULL, 0, OB(out), OUT_CAP, &n),
             PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_mirror_tick(f.mirror, NULL), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_mirror_tick(NULL, &n), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_mirror_clone(NULL, &m), PRIVNUM_RESULT_NULL_PARAMETER);
    privnum_mirror_free(NULL);

    /* The engine lives on with the caller's handle after the mirror goes. */
    privnum_mirror_free(f.mirror);
    f.mirror = NULL;
    engine_cmd(&c, f.engine, "{\"op\": \"len\"}");
    T_CHECK(&c, strcmp(out, "{\"ok\":1}") == 0);

    privnum_op_free(bind);
    teardown(&f);
    t_end(&c);
}

#define THREADS 4

typedef struct worker {
    privnum_mirror *mirror;
    int index;
    privnum_result result;
    bool confirmed;
} worker;

static void *work(void *arg)
{
    worker *w = (worker *)arg;
    char args[256];
    snprintf(args, sizeof args,
             "{\"callerNum\": \"1380000010%d\", \"calleeNum\": \"1390000010%d\","
             " \"relationNum\": \"+8617000000011\"}",
             w->index, w->index);
    privnum_op *op = NULL;
    w->result = privnum_op_new(LIT("axb.bind"), STR(args), &op);
    if (w->result != PRIVNUM_RESULT_OK) {
        return NULL;
    }
    char buf[4096];
    size_t n = 0;
    w->result = privnum_mirror_call(w->mirror, op, OB(buf), sizeof buf - 1, &n);
    if (w->result == PRIVNUM_RESULT_OK) {
        buf[n] = '\0';
        w->confirmed = strstr(buf, "\"answer\":\"confirmed\"") != NULL;
    }
    privnum_op_free(op);
    return NULL;
}

static void test_threads(void)
{
    t_case c;
    t_begin(&c, "mirror: one mirror shared by threads");
    fixture f;
    if (!setup(&c, &f)) {
        teardown(&f);
        t_end(&c);
        return;
    }
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){.mirror = f.mirror, .index = i};
        T_CHECK(&c, pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        T_RESULT(&c, workers[i].result, PRIVNUM_RESULT_OK);
        T_CHECK(&c, workers[i].confirmed);
    }
    engine_cmd(&c, f.engine, "{\"op\": \"len\"}");
    T_CHECK(&c, strcmp(out, "{\"ok\":4}") == 0);
    teardown(&f);
    t_end(&c);
}

int main(void)
{
    test_bind_confirmed_held_and_undone();
    test_refusals();
    test_reconcile();
    test_ownership_and_nulls();
    test_threads();
    return t_summary();
}
