/*
 * Tests of the platform API client's C API (privnum_op_*, privnum_request_*):
 * every case of tests/vectors/client*.json (through the generated
 * client_gen.h), the last error's platform code, field and HTTP status, the
 * size protocol of parse, NULL arguments, out-parameters written only on
 * success, fresh signatures, and handles shared across threads.
 */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "privnum.h"
#include "testutil.h"
#include "client_gen.h"

#define U8(s) ((const uint8_t *)(s))
#define LIT(s) U8(s), (sizeof(s) - 1)
#define STR(s) U8(s), strlen(s)
#define VS(v) U8((v).ptr), (v).len

#define OUT_CAP 65536

static const char KEY[] = "a1d1f50cad21415fbdd13d8f53d36d60";
static const char SECRET[] = "cfc881cc704c4fba8d8fef5788e03e6b";

static bool view_is(privnum_str got, vec_str want)
{
    if (want.ptr == NULL) {
        return got.data == NULL && got.len == 0;
    }
    return got.data != NULL && got.len == want.len && memcmp(got.data, want.ptr, want.len) == 0;
}

static void check_view(t_case *c, const char *what, privnum_str got, vec_str want)
{
    if (!view_is(got, want)) {
        t_fail(c, "%s: got \"%.*s\" (%s), expected \"%.*s\" (%s)", what, (int)got.len,
               got.data != NULL ? (const char *)got.data : "", got.data ? "present" : "absent",
               (int)want.len, want.ptr != NULL ? want.ptr : "", want.ptr ? "present" : "absent");
    }
}

/* The last error's message, code, field and status against the case. */
static void check_error(t_case *c, const vec_client_case *v, privnum_result r)
{
    const char *name = privnum_result_name(r);
    if (name == NULL || strcmp(name, v->error_kind) != 0) {
        char msg[512];
        t_last_error(msg, sizeof msg);
        t_fail(c, "got %s, expected %s (%s)", t_name(r), v->error_kind, msg);
        return;
    }
    char buf[256];
    size_t n = 0;
    privnum_result pr = privnum_last_error_platform_code((uint8_t *)buf, sizeof buf, &n);
    if (v->platform_code == NULL) {
        T_CHECK(c, pr == PRIVNUM_RESULT_INVALID_ARGUMENT);
    } else {
        T_RESULT(c, pr, PRIVNUM_RESULT_OK);
        t_text(c, "platform code", U8(buf), pr == PRIVNUM_RESULT_OK ? n : 0, v->platform_code,
               strlen(v->platform_code));
    }
    pr = privnum_last_error_field((uint8_t *)buf, sizeof buf, &n);
    if (v->field == NULL) {
        T_CHECK(c, pr == PRIVNUM_RESULT_INVALID_ARGUMENT);
    } else {
        T_RESULT(c, pr, PRIVNUM_RESULT_OK);
        t_text(c, "field", U8(buf), pr == PRIVNUM_RESULT_OK ? n : 0, v->field, strlen(v->field));
    }
    uint16_t status = 0;
    pr = privnum_last_error_http_status(&status);
    if (v->http_status < 0) {
        T_CHECK(c, pr == PRIVNUM_RESULT_INVALID_ARGUMENT);
    } else {
        T_RESULT(c, pr, PRIVNUM_RESULT_OK);
        T_CHECK(c, status == (uint16_t)v->http_status);
    }
    char msg[2048];
    t_last_error(msg, sizeof msg);
    for (size_t i = 0; i < v->n_needles; i++) {
        const vec_client_needle *nd = &vec_client_needles[v->first_needle + i];
        char needle[512];
        snprintf(needle, sizeof needle, "%.*s", (int)nd->text.len, nd->text.ptr);
        bool found = strstr(msg, needle) != NULL;
        if (found != nd->present) {
            t_fail(c, "message %s \"%s\": %s", nd->present ? "lacks" : "contains", needle, msg);
        }
    }
}

static void run_request(t_case *c, const vec_client_case *v, privnum_op *op)
{
    privnum_signer *signer = NULL;
    T_RESULT(c, privnum_signer_new(VS(v->app_key), VS(v->app_secret), &signer),
             PRIVNUM_RESULT_OK);
    privnum_request *req = (privnum_request *)(uintptr_t)0x1;
    privnum_result r = privnum_op_sign(op, signer, VS(v->nonce), VS(v->created), &req);
    if (v->error_kind != NULL) {
        check_error(c, v, r);
        T_CHECK(c, req == (privnum_request *)(uintptr_t)0x1); /* not written on failure */
        privnum_signer_free(signer);
        return;
    }
    T_RESULT(c, r, PRIVNUM_RESULT_OK);
    if (r != PRIVNUM_RESULT_OK) {
        privnum_signer_free(signer);
        return;
    }
    privnum_request_parts parts;
    T_RESULT(c, privnum_request_get(req, &parts), PRIVNUM_RESULT_OK);
    check_view(c, "method", parts.method, v->method);
    check_view(c, "path_and_query", parts.path_and_query, v->path_and_query);
    check_view(c, "body", parts.body, v->body);
    T_CHECK(c, parts.header_count == v->n_headers);
    for (size_t i = 0; i < v->n_headers && i < parts.header_count; i++) {
        privnum_str name, value;
        T_RESULT(c, privnum_request_header(req, i, &name, &value), PRIVNUM_RESULT_OK);
        check_view(c, "header name", name, vec_client_headers[v->first_header + i].name);
        check_view(c, "header value", value, vec_client_headers[v->first_header + i].value);
    }
    privnum_str name, value;
    T_RESULT(c, privnum_request_header(req, parts.header_count, &name, &value),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    const char *op_name = privnum_op_name(op);
    T_CHECK(c, op_name != NULL && strlen(op_name) > 0);
    T_CHECK(c, privnum_op_idempotent(op) == v->idempotent);
    privnum_request_free(req);
    privnum_signer_free(signer);
}

static void run_response(t_case *c, const vec_client_case *v, const privnum_op *op)
{
    static char out[OUT_CAP];
    size_t n = T_SENTINEL_SIZE;
    privnum_result r = privnum_op_parse(op, v->status, v->location.ptr ? U8(v->location.ptr) : NULL,
                                        v->location.len, VS(v->response_body), (uint8_t *)out,
                                        sizeof out, &n);
    if (v->error_kind != NULL) {
        check_error(c, v, r);
        T_CHECK(c, n == T_SENTINEL_SIZE);
        return;
    }
    T_RESULT(c, r, PRIVNUM_RESULT_OK);
    if (r == PRIVNUM_RESULT_OK) {
        t_text(c, "output", U8(out), n, v->output.ptr, v->output.len);
    }
}

static void test_vectors(void)
{
    for (size_t i = 0; i < VEC_COUNT(vec_client_cases); i++) {
        const vec_client_case *v = &vec_client_cases[i];
        t_case c;
        t_begin(&c, "%s %s", v->file, v->id);
        privnum_op *op = NULL;
        privnum_result r = privnum_op_new(VS(v->op), VS(v->input), &op);
        if (r != PRIVNUM_RESULT_OK) {
            /* Arguments refused while building: only request cases expect that. */
            if (v->is_request && v->error_kind != NULL) {
                check_error(&c, v, r);
            } else {
                char msg[512];
                t_last_error(msg, sizeof msg);
                t_fail(&c, "privnum_op_new: %s (%s)", t_name(r), msg);
            }
            t_end(&c);
            continue;
        }
        if (v->is_request) {
            run_request(&c, v, op);
        } else {
            run_response(&c, v, op);
        }
        privnum_op_free(op);
        t_end(&c);
    }
}

/* ---- the API around the vectors ------------------------------------------- */

static const char BIND_ARGS[] = "{\"callerNum\":\"138 0000 0001\",\"calleeNum\":\"+86 139 0000 0002\"}";

static void test_new_and_arguments(void)
{
    t_case c;
    t_begin(&c, "op_new arguments");
    privnum_op *op = NULL;
    T_RESULT(&c, privnum_op_new(LIT("axb.bind"), NULL, 0, &op), PRIVNUM_RESULT_INVALID_ARGUMENT);
    char field[64];
    size_t n = 0;
    T_RESULT(&c, privnum_last_error_field((uint8_t *)field, sizeof field, &n), PRIVNUM_RESULT_OK);
    t_text(&c, "field", U8(field), n, "callerNum", 9);
    T_CHECK(&c, op == NULL);
    T_RESULT(&c, privnum_op_new(LIT("axb.nope"), NULL, 0, &op), PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_RESULT(&c, privnum_op_new(LIT("axb.bind"), LIT("{not json"), &op),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_RESULT(&c, privnum_op_new(LIT("axb.bind"), LIT("\"\xff\""), &op),
             PRIVNUM_RESULT_INVALID_UTF8);
    T_RESULT(&c, privnum_op_new(NULL, 3, NULL, 0, &op), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_op_new(LIT("axb.bind"), LIT(BIND_ARGS), NULL),
             PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_op_new(LIT("axb.bind"), LIT(BIND_ARGS), &op), PRIVNUM_RESULT_OK);
    T_CHECK(&c, op != NULL && strcmp(privnum_op_name(op), "axb.bind") == 0);
    T_CHECK(&c, !privnum_op_idempotent(op));
    T_CHECK(&c, privnum_op_name(NULL) == NULL);
    T_CHECK(&c, !privnum_op_idempotent(NULL));
    privnum_op *other = NULL;
    T_RESULT(&c, privnum_op_clone(op, &other), PRIVNUM_RESULT_OK);
    T_CHECK(&c, other == op);
    privnum_op_free(other);
    privnum_op_free(op);
    privnum_op_free(NULL);
    T_RESULT(&c, privnum_op_new(LIT("axb.unbind"), LIT("{\"subscription_id\":\"s1\"}"), &op),
             PRIVNUM_RESULT_OK);
    T_CHECK(&c, privnum_op_idempotent(op));
    privnum_op_free(op);
    t_end(&c);
}

static void test_sign_fresh_and_url(void)
{
    t_case c;
    t_begin(&c, "sign: fresh signatures, url, NULLs");
    privnum_signer *signer = NULL;
    privnum_op *op = NULL;
    T_RESULT(&c, privnum_signer_new(LIT(KEY), LIT(SECRET), &signer), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_op_new(LIT("axb.query"), LIT("{\"relationNum\":\"+8617000000010\"}"), &op),
             PRIVNUM_RESULT_OK);
    privnum_request *a = NULL, *b = NULL;
    T_RESULT(&c, privnum_op_sign(op, signer, NULL, 0, NULL, 0, &a), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_op_sign(op, signer, NULL, 0, NULL, 0, &b), PRIVNUM_RESULT_OK);
    privnum_str n1, v1, n2, v2;
    T_RESULT(&c, privnum_request_header(a, 2, &n1, &v1), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_request_header(b, 2, &n2, &v2), PRIVNUM_RESULT_OK);
    T_CHECK(&c, n1.len == 6 && memcmp(n1.data, "X-AKSK", 6) == 0);
    T_CHECK(&c, v1.len == v2.len && memcmp(v1.data, v2.data, v1.len) != 0);
    char url[512];
    size_t n = 0;
    T_RESULT(&c, privnum_request_url(a, LIT("https://h.example:443/"), NULL, 0, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    const char want[] = "https://h.example:443/rest/caas/relationnumber/partners/v1.0"
                        "?relationNum=%2B8617000000010";
    T_CHECK(&c, n == sizeof want - 1);
    T_RESULT(&c, privnum_request_url(a, LIT("https://h.example:443/"), (uint8_t *)url, sizeof url, &n),
             PRIVNUM_RESULT_OK);
    t_text(&c, "url", U8(url), n, want, sizeof want - 1);
    privnum_request_parts parts;
    T_RESULT(&c, privnum_request_get(a, &parts), PRIVNUM_RESULT_OK);
    T_CHECK(&c, parts.body.data == NULL && parts.body.len == 0);
    T_CHECK(&c, parts.method.len == 3 && memcmp(parts.method.data, "GET", 3) == 0);
    /* The views outlive a clone's release while another handle lives. */
    privnum_request *a2 = NULL;
    T_RESULT(&c, privnum_request_clone(a, &a2), PRIVNUM_RESULT_OK);
    privnum_request_free(a);
    T_CHECK(&c, memcmp(parts.method.data, "GET", 3) == 0);
    privnum_request_free(a2);
    privnum_request_free(b);
    privnum_request_free(NULL);
    /* NULLs and bad signing input. */
    privnum_request *r = (privnum_request *)(uintptr_t)0x1;
    T_RESULT(&c, privnum_op_sign(NULL, signer, NULL, 0, NULL, 0, &r), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_op_sign(op, NULL, NULL, 0, NULL, 0, &r), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_op_sign(op, signer, NULL, 0, NULL, 0, NULL), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_op_sign(op, signer, LIT("bad-nonce"), NULL, 0, &r),
             PRIVNUM_RESULT_INVALID_NONCE);
    T_RESULT(&c, privnum_op_sign(op, signer, NULL, 0, LIT("2018-02-12 15:30:20"), &r),
             PRIVNUM_RESULT_INVALID_CREATED);
    T_CHECK(&c, r == (privnum_request *)(uintptr_t)0x1);
    T_RESULT(&c, privnum_request_get(NULL, &parts), PRIVNUM_RESULT_NULL_PARAMETER);
    privnum_op_free(op);
    privnum_signer_free(signer);
    t_end(&c);
}

static void test_parse_protocol(void)
{
    t_case c;
    t_begin(&c, "parse: size protocol, status and code of refusals");
    privnum_op *op = NULL;
    T_RESULT(&c, privnum_op_new(LIT("axb.bind"), LIT(BIND_ARGS), &op), PRIVNUM_RESULT_OK);
    const char ok[] = "{\"resultcode\":\"0\",\"subscriptionId\":\"3f1c\",\"relationNum\":\"+8617000000010\"}";
    const char want[] = "{\"relation_num\":\"+8617000000010\",\"subscription_id\":\"3f1c\"}";
    size_t n = T_SENTINEL_SIZE;
    T_RESULT(&c, privnum_op_parse(op, 200, NULL, 0, LIT(ok), NULL, 0, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    T_CHECK(&c, n == sizeof want - 1);
    char out[256];
    unsigned char small[8];
    memset(small, T_SENTINEL, sizeof small);
    T_RESULT(&c, privnum_op_parse(op, 200, NULL, 0, LIT(ok), small, sizeof small, &n),
             PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    T_CHECK(&c, t_untouched(small, sizeof small));
    T_RESULT(&c, privnum_op_parse(op, 200, NULL, 0, LIT(ok), (uint8_t *)out, sizeof out, &n),
             PRIVNUM_RESULT_OK);
    t_text(&c, "output", U8(out), n, want, sizeof want - 1);
    /* A refusal: kind by action, code, status; a later local failure clears them. */
    const char busy[] = "{\"resultcode\":\"1010010\",\"resultdesc\":\"Invalid digest.\"}";
    T_RESULT(&c, privnum_op_parse(op, 401, NULL, 0, LIT(busy), (uint8_t *)out, sizeof out, &n),
             PRIVNUM_RESULT_PLATFORM_AUTH);
    uint16_t status = 0;
    T_RESULT(&c, privnum_last_error_http_status(&status), PRIVNUM_RESULT_OK);
    T_CHECK(&c, status == 401);
    T_RESULT(&c, privnum_last_error_http_status(NULL), PRIVNUM_RESULT_NULL_PARAMETER);
    T_RESULT(&c, privnum_op_parse(op, 200, NULL, 0, LIT(busy), (uint8_t *)out, sizeof out, &n),
             PRIVNUM_RESULT_PLATFORM_THROTTLED);
    T_RESULT(&c, privnum_op_parse(op, 502, NULL, 0, LIT("<html>"), (uint8_t *)out, sizeof out, &n),
             PRIVNUM_RESULT_RESPONSE_INVALID);
    T_RESULT(&c, privnum_last_error_http_status(&status), PRIVNUM_RESULT_OK);
    T_CHECK(&c, status == 502);
    T_RESULT(&c, privnum_op_parse(op, 200, NULL, 0, NULL, 5, (uint8_t *)out, sizeof out, &n),
             PRIVNUM_RESULT_NULL_PARAMETER);
    status = 7;
    T_RESULT(&c, privnum_last_error_http_status(&status), PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_CHECK(&c, status == 7);
    privnum_op_free(op);
    t_end(&c);
}

/* Several threads sign and parse with the same handles. */
typedef struct shared {
    const privnum_op *op;
    const privnum_signer *signer;
    int failures;
} shared;

static void *worker(void *arg)
{
    shared *s = arg;
    for (int i = 0; i < 200; i++) {
        privnum_request *r = NULL;
        if (privnum_op_sign(s->op, s->signer, NULL, 0, NULL, 0, &r) != PRIVNUM_RESULT_OK) {
            s->failures++;
            continue;
        }
        privnum_request_parts p;
        if (privnum_request_get(r, &p) != PRIVNUM_RESULT_OK || p.body.len == 0) {
            s->failures++;
        }
        privnum_request_free(r);
    }
    return NULL;
}

static void test_threads(void)
{
    t_case c;
    t_begin(&c, "handles shared by threads");
    privnum_signer *signer = NULL;
    privnum_op *op = NULL;
    T_RESULT(&c, privnum_signer_new(LIT(KEY), LIT(SECRET), &signer), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_op_new(LIT("axb.bind"), LIT(BIND_ARGS), &op), PRIVNUM_RESULT_OK);
    pthread_t t[4];
    shared s[4];
    for (int i = 0; i < 4; i++) {
        s[i] = (shared){ op, signer, 0 };
        T_CHECK(&c, pthread_create(&t[i], NULL, worker, &s[i]) == 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
        T_CHECK(&c, s[i].failures == 0);
    }
    privnum_op_free(op);
    privnum_signer_free(signer);
    t_end(&c);
}

int main(void)
{
    test_vectors();
    test_new_and_arguments();
    test_sign_fresh_and_url();
    test_parse_protocol();
    test_threads();
    return t_summary();
}
