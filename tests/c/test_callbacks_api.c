/*
 * Tests of the C API's conventions for the callback functions: NULL for every
 * pointer argument, buffers that are too small, push views that stay valid
 * until the push is freed (ASan checks every read), absent versus empty
 * views, wrong push kinds and indexes, invalid UTF-8, unknown enum values,
 * the inbox's settings and nonce release, one inbox shared by threads, and
 * call-control queries (NULL arguments, copied parameters, views, the
 * signature check and its nonce).
 */

#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "privnum.h"
#include "testutil.h"

#define U8(s) ((const uint8_t *)(s))
/* A string literal as (ptr, len). */
#define LIT(s) U8(s), (sizeof(s) - 1)
/* A string literal as a privnum_str. */
#define STR(s) ((privnum_str){ U8(s), sizeof(s) - 1 })

static const uint8_t BAD_UTF8[] = { 'a', 0xFF, 'b' };
#define BAD BAD_UTF8, sizeof BAD_UTF8

static const char CDRS[] =
    "{\"eventType\":\"fee\",\"feeLst\":["
    "{\"icid\":\"I1\",\"sessionId\":\"S1\",\"callerNum\":\"+8613800000001\","
    "\"fwdDstNum\":\"+8613900000002\",\"fwdAlertingTime\":\"2024-05-01 08:00:03\","
    "\"fwdAnswerTime\":\"2024-05-01 08:00:08\",\"callEndTime\":\"2024-05-01 08:02:08\","
    "\"ulFailReason\":7503,\"recordFlag\":1,\"recordObjectName\":\"r.wav\","
    "\"recordDomain\":\"rec.example\",\"vendorExtra\":{\"a\":[1,2]},\"userData\":\"\"},"
    "{\"sessionId\":\"S2\",\"ulFailReason\":\"0\"}]}";
static const char CALL[] = "{\"eventType\":\"callin\",\"statusInfo\":{\"sessionId\":\"S1\","
                           "\"caller\":\"+8613800000001\",\"called\":\"+8617000000010\","
                           "\"notifyMode\":\"Block\",\"partyType\":1}}";
static const char SMS[] = "{\"appKey\":\"k\",\"smsEvent\":{\"smsIdentifier\":\"M1\","
                          "\"notificationMode\":\"Block\",\"calling\":\"+8613800000001\","
                          "\"extInfo\":{\"extParas\":[{\"key\":\"splitNum\",\"value\":\"2\"}]}}}";
static const char STATUS[] =
    "{\"eventType\":\"numStatus\",\"numInfo\":[{\"number\":\"+8617000000010\","
    "\"status\":\"10\",\"cause\":\"2\"}]}";

static privnum_push *parse(const char *body)
{
    privnum_push *p = NULL;
    privnum_result r = privnum_push_parse(U8(body), strlen(body), &p);
    if (r != PRIVNUM_RESULT_OK) {
        char msg[512];
        t_last_error(msg, sizeof msg);
        fprintf(stderr, "cannot parse a test push: %s: %s\n", t_name(r), msg);
        exit(2);
    }
    return p;
}

static privnum_number number(const char *typed)
{
    privnum_number n = { 0 };
    if (privnum_number_parse_default(U8(typed), strlen(typed), &n) != PRIVNUM_RESULT_OK) {
        fprintf(stderr, "cannot parse %s\n", typed);
        exit(2);
    }
    return n;
}

static privnum_inbox *new_inbox(void)
{
    privnum_inbox *i = NULL;
    if (privnum_inbox_new(NULL, NULL, 0, NULL, 0, &i) != PRIVNUM_RESULT_OK) {
        fprintf(stderr, "cannot create an inbox\n");
        exit(2);
    }
    return i;
}

static bool last_error_contains(const char *needle)
{
    char msg[512];
    t_last_error(msg, sizeof msg);
    return strstr(msg, needle) != NULL;
}

#define T_MESSAGE(c, needle)                                                                    \
    do {                                                                                        \
        if (!last_error_contains(needle)) {                                                     \
            char msg_[512];                                                                     \
            t_last_error(msg_, sizeof msg_);                                                    \
            t_fail((c), "%s:%d: last error \"%s\" does not contain \"%s\"", __FILE__, __LINE__, \
                   msg_, (needle));                                                             \
        }                                                                                       \
    } while (0)

static bool view_eq(privnum_str v, const char *want)
{
    return v.data != NULL && v.len == strlen(want) && memcmp(v.data, want, v.len) == 0;
}

#define T_VIEW(c, v, want)                                                                      \
    do {                                                                                        \
        if (!view_eq((v), (want))) {                                                            \
            t_fail((c), "%s:%d: %s is \"%.*s\"%s, expected \"%s\"", __FILE__, __LINE__, #v,     \
                   (int)(v).len, (v).data ? (const char *)(v).data : "",                        \
                   (v).data ? "" : " (absent)", (want));                                        \
        }                                                                                       \
    } while (0)

#define T_ABSENT(c, v) T_CHECK((c), (v).data == NULL && (v).len == 0)

/* ---- NULL arguments ------------------------------------------------------- */

static void test_null_parameters(void)
{
    t_case c;
    t_begin(&c, "callbacks-null-parameters");
    const privnum_result NUL = PRIVNUM_RESULT_NULL_PARAMETER;
    privnum_push *cdrs = parse(CDRS);
    privnum_push *call = parse(CALL);
    privnum_push *sms = parse(SMS);
    privnum_push *status = parse(STATUS);
    privnum_inbox *inbox = new_inbox();
    privnum_received *rec = NULL;
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(CDRS), NULL, 0, 1714550400, &rec),
             PRIVNUM_RESULT_OK);
    privnum_push *p2 = NULL;
    privnum_inbox *i2 = NULL;
    privnum_received *r2 = NULL;
    privnum_cdr cdr;
    privnum_call_event ev;
    privnum_sms_event se;
    privnum_number_status_entry ne;
    privnum_str v = { U8("sentinel"), 8 };
    privnum_str v2 = { U8("sentinel"), 8 };
    privnum_item item;
    privnum_verified vd;
    privnum_inbox_config cfg;
    privnum_segment_count seg;
    uint8_t buf[512];
    size_t n = T_SENTINEL_SIZE;
    uint32_t u = 7;
    const privnum_header h[1] = { { LIT("X-AKSK"), LIT("x") } };
    const privnum_header null_hname[1] = { { NULL, 3, LIT("x") } };

    /* pushes */
    T_RESULT(&c, privnum_push_parse(NULL, 3, &p2), NUL);
    T_MESSAGE(&c, "body");
    T_RESULT(&c, privnum_push_parse(LIT(CDRS), NULL), NUL);
    T_MESSAGE(&c, "out is NULL");
    T_RESULT(&c, privnum_push_clone(NULL, &p2), NUL);
    T_MESSAGE(&c, "push is NULL");
    T_RESULT(&c, privnum_push_clone(cdrs, NULL), NUL);
    T_CHECK(&c, p2 == NULL);
    T_CHECK(&c, privnum_push_kind(NULL) == 0);
    T_CHECK(&c, !privnum_push_needs_reply(NULL));
    T_CHECK(&c, privnum_push_cdr_count(NULL) == 0);
    T_CHECK(&c, privnum_push_number_status_count(NULL) == 0);
    T_RESULT(&c, privnum_push_cdr(NULL, 0, &cdr), NUL);
    T_RESULT(&c, privnum_push_cdr(cdrs, 0, NULL), NUL);
    T_RESULT(&c, privnum_push_cdr_field(NULL, 0, LIT("icid"), &v), NUL);
    T_RESULT(&c, privnum_push_cdr_field(cdrs, 0, NULL, 4, &v), NUL);
    T_MESSAGE(&c, "name");
    T_RESULT(&c, privnum_push_cdr_field(cdrs, 0, LIT("icid"), NULL), NUL);
    T_RESULT(&c, privnum_push_cdr_failure(NULL, 0, buf, sizeof buf, &n), NUL);
    T_RESULT(&c, privnum_push_cdr_failure(cdrs, 0, NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_push_cdr_failure(cdrs, 0, buf, sizeof buf, NULL), NUL);
    T_RESULT(&c, privnum_push_call(NULL, &ev), NUL);
    T_RESULT(&c, privnum_push_call(call, NULL), NUL);
    T_RESULT(&c, privnum_push_sms(NULL, &se), NUL);
    T_RESULT(&c, privnum_push_sms(sms, NULL), NUL);
    T_RESULT(&c, privnum_push_sms_ext_para(NULL, 0, &v, &v2), NUL);
    T_RESULT(&c, privnum_push_sms_ext_para(sms, 0, NULL, &v2), NUL);
    T_MESSAGE(&c, "out_key");
    T_RESULT(&c, privnum_push_sms_ext_para(sms, 0, &v, NULL), NUL);
    T_MESSAGE(&c, "out_value");
    T_RESULT(&c, privnum_push_number_status(NULL, 0, &ne), NUL);
    T_RESULT(&c, privnum_push_number_status(status, 0, NULL), NUL);
    T_CHECK(&c, n == T_SENTINEL_SIZE && view_eq(v, "sentinel") && view_eq(v2, "sentinel"));
    privnum_push_free(NULL);

    /* inbox */
    T_RESULT(&c, privnum_inbox_config_default(NULL), NUL);
    T_RESULT(&c, privnum_inbox_new(NULL, NULL, 0, NULL, 0, NULL), NUL);
    T_RESULT(&c, privnum_inbox_clone(NULL, &i2), NUL);
    T_RESULT(&c, privnum_inbox_clone(inbox, NULL), NUL);
    T_CHECK(&c, i2 == NULL);
    T_RESULT(&c, privnum_inbox_receive(NULL, LIT(CDRS), NULL, 0, 0, &r2), NUL);
    T_MESSAGE(&c, "inbox is NULL");
    T_RESULT(&c, privnum_inbox_receive(inbox, NULL, 3, NULL, 0, 0, &r2), NUL);
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(CDRS), NULL, 2, 0, &r2), NUL);
    T_MESSAGE(&c, "headers");
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(CDRS), null_hname, 1, 0, &r2), NUL);
    T_MESSAGE(&c, "headers[0].name");
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(CDRS), h, 1, 0, NULL), NUL);
    T_CHECK(&c, r2 == NULL);
    T_RESULT(&c, privnum_inbox_commit(NULL, rec, 0), NUL);
    T_RESULT(&c, privnum_inbox_commit(inbox, NULL, 0), NUL);
    T_MESSAGE(&c, "received is NULL");
    T_RESULT(&c, privnum_inbox_release(NULL, rec), NUL);
    T_RESULT(&c, privnum_inbox_release(inbox, NULL), NUL);
    T_RESULT(&c, privnum_received_clone(NULL, &r2), NUL);
    T_RESULT(&c, privnum_received_clone(rec, NULL), NUL);
    T_CHECK(&c, r2 == NULL);
    T_CHECK(&c, privnum_received_push(NULL) == NULL);
    T_CHECK(&c, privnum_received_item_count(NULL) == 0);
    T_CHECK(&c, !privnum_received_is_duplicate(NULL));
    T_CHECK(&c, !privnum_received_is_verified(NULL));
    T_RESULT(&c, privnum_received_item(NULL, 0, &item), NUL);
    T_RESULT(&c, privnum_received_item(rec, 0, NULL), NUL);
    T_RESULT(&c, privnum_received_verified(NULL, &vd), NUL);
    T_RESULT(&c, privnum_received_verified(rec, NULL), NUL);
    privnum_inbox_free(NULL);
    privnum_received_free(NULL);
    /* Nothing was committed by the refused calls. */
    T_CHECK(&c, !privnum_received_is_duplicate(rec));

    /* codes */
    T_RESULT(&c, privnum_number_status_parse(NULL, 2, &u), NUL);
    T_RESULT(&c, privnum_number_status_parse(LIT("10"), NULL), NUL);
    T_RESULT(&c, privnum_unavailable_cause_parse(NULL, 1, &u), NUL);
    T_RESULT(&c, privnum_unavailable_cause_parse(LIT("2"), NULL), NUL);
    T_CHECK(&c, u == 7);
    /* Result-code lookups are total: NULL with a length is just no known code,
     * and the last error is left alone. */
    T_RESULT(&c, privnum_number_status_parse(LIT("10"), NULL), NUL);
    T_CHECK(&c, privnum_result_code_action(NULL, 7, 200) == PRIVNUM_ACTION_UNKNOWN);
    T_CHECK(&c, privnum_result_code_action(NULL, 0, 200) == PRIVNUM_ACTION_UNKNOWN);
    T_CHECK(&c, !privnum_result_code_retryable(NULL, 7, -1));
    T_CHECK(&c, privnum_result_code_max_retries(NULL, 7, -1) == 0);
    T_CHECK(&c, privnum_result_code_description(NULL, 7, -1) == NULL);
    T_MESSAGE(&c, "out is NULL");

    /* segments */
    T_RESULT(&c, privnum_sms_segments(NULL, 3, NULL, &seg), NUL);
    T_MESSAGE(&c, "text");
    T_RESULT(&c, privnum_sms_segments(LIT("hi"), NULL, NULL), NUL);

    /* replies */
    privnum_connect_options co;
    memset(&co, 0, sizeof co);
    co.callee = number("+8613900000002");
    T_RESULT(&c, privnum_reply_connect(NULL, buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "opts is NULL");
    T_RESULT(&c, privnum_reply_connect(&co, NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_reply_connect(&co, buf, sizeof buf, NULL), NUL);
    co.wait_voice = (privnum_str){ NULL, 3 };
    T_RESULT(&c, privnum_reply_connect(&co, buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "opts->wait_voice");
    co.wait_voice = (privnum_str){ NULL, 0 };
    co.user_data = (privnum_str){ NULL, 1 };
    T_RESULT(&c, privnum_reply_connect(&co, buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "opts->user_data");
    privnum_close_options cl;
    memset(&cl, 0, sizeof cl);
    T_RESULT(&c, privnum_reply_close(&cl, NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_reply_close(&cl, buf, sizeof buf, NULL), NUL);
    cl.close_hint_tone = (privnum_str){ NULL, 2 };
    T_RESULT(&c, privnum_reply_close(&cl, buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "opts->close_hint_tone");
    privnum_number a = number("+8613800000001");
    privnum_number b = number("+8613900000002");
    T_RESULT(&c, privnum_reply_sms_route(a, b, NULL, 3, buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "user_data");
    T_RESULT(&c, privnum_reply_sms_route(a, b, NULL, 0, NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_reply_sms_route(a, b, NULL, 0, buf, sizeof buf, NULL), NUL);
    T_RESULT(&c, privnum_reply_sms_discard(NULL, 3, buf, sizeof buf, &n), NUL);
    T_RESULT(&c, privnum_reply_sms_discard(NULL, 0, NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_reply_sms_discard(NULL, 0, buf, sizeof buf, NULL), NUL);
    privnum_call_control_options cc;
    memset(&cc, 0, sizeof cc);
    cc.operate = PRIVNUM_CONTROL_OPERATE_CONTINUE;
    T_RESULT(&c, privnum_reply_call_control(NULL, buf, sizeof buf, &n), NUL);
    T_RESULT(&c, privnum_reply_call_control(&cc, NULL, 10, &n), NUL);
    T_RESULT(&c, privnum_reply_call_control(&cc, buf, sizeof buf, NULL), NUL);
    cc.n_extra = 2;
    T_RESULT(&c, privnum_reply_call_control(&cc, buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "opts->extra");
    const privnum_param null_extra[1] = { { LIT("a"), NULL, 1 } };
    cc.extra = null_extra;
    cc.n_extra = 1;
    T_RESULT(&c, privnum_reply_call_control(&cc, buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "opts->extra[0].value");
    cc.extra = NULL;
    cc.n_extra = 0;
    cc.subs_id = (privnum_str){ NULL, 5 };
    T_RESULT(&c, privnum_reply_call_control(&cc, buf, sizeof buf, &n), NUL);
    T_MESSAGE(&c, "opts->subs_id");
    T_CHECK(&c, n == T_SENTINEL_SIZE);
    (void)cfg;

    privnum_received_free(rec);
    privnum_inbox_free(inbox);
    privnum_push_free(status);
    privnum_push_free(sms);
    privnum_push_free(call);
    privnum_push_free(cdrs);
    t_end(&c);
}

/* NULL with a zero length: an empty body, no headers, no user data. */
static void test_null_with_zero_length(void)
{
    t_case c;
    t_begin(&c, "callbacks-null-with-zero-length");
    privnum_push *p = NULL;
    T_RESULT(&c, privnum_push_parse(NULL, 0, &p), PRIVNUM_RESULT_PUSH_INVALID_JSON);
    T_CHECK(&c, p == NULL);
    privnum_inbox *inbox = new_inbox();
    privnum_received *rec = NULL;
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(STATUS), NULL, 0, 0, &rec), PRIVNUM_RESULT_OK);
    privnum_received_free(rec);
    privnum_segment_count seg;
    T_RESULT(&c, privnum_sms_segments(NULL, 0, NULL, &seg), PRIVNUM_RESULT_OK);
    T_CHECK(&c, seg.segments == 1 && seg.units == 0 && seg.encoding == PRIVNUM_SMS_ENCODING_GSM7);
    uint8_t buf[128];
    size_t n = 0;
    T_RESULT(&c, privnum_reply_sms_discard(NULL, 0, buf, sizeof buf, &n), PRIVNUM_RESULT_OK);
    const char *discard = "{\"actions\":[{\"operation\":\"DiscardMessage\"}]}";
    t_text(&c, "discard", buf, n, discard, strlen(discard));
    T_RESULT(&c, privnum_reply_close(NULL, buf, sizeof buf, &n), PRIVNUM_RESULT_OK);
    const char *close = "{\"operation\":\"close\",\"closeInfo\":{}}";
    t_text(&c, "close", buf, n, close, strlen(close));
    privnum_inbox_free(inbox);
    t_end(&c);
}

/* ---- buffers that are too small ------------------------------------------ */

typedef privnum_result (*out_fn)(void *ctx, uint8_t *buf, size_t len, size_t *out_n);

/* A size query, a too-small buffer, then the exact size. */
static void size_protocol(t_case *c, const char *what, out_fn call, void *ctx)
{
    size_t want = T_SENTINEL_SIZE;
    T_RESULT(c, call(ctx, NULL, 0, &want), PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    if (want == T_SENTINEL_SIZE || want == 0 || want > 4096) {
        t_fail(c, "%s: size query gave %zu", what, want);
        return;
    }
    uint8_t small[4096];
    memset(small, T_SENTINEL, sizeof small);
    size_t n = T_SENTINEL_SIZE;
    T_RESULT(c, call(ctx, small, want - 1, &n), PRIVNUM_RESULT_INSUFFICIENT_SIZE);
    if (n != want || !t_untouched(small, sizeof small)) {
        t_fail(c, "%s: too small a buffer: out_n %zu (expected %zu), buffer touched: %d", what, n,
               want, !t_untouched(small, sizeof small));
    }
    T_MESSAGE(c, "bytes but buf_len is");
    uint8_t *exact = malloc(want);
    if (exact == NULL) {
        t_fail(c, "out of memory");
        return;
    }
    n = T_SENTINEL_SIZE;
    T_RESULT(c, call(ctx, exact, want, &n), PRIVNUM_RESULT_OK);
    if (n != want) {
        t_fail(c, "%s: retry wrote %zu bytes, expected %zu", what, n, want);
    }
    free(exact);
}

static privnum_result call_connect(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    return privnum_reply_connect(ctx, buf, len, out_n);
}

static privnum_result call_close(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    return privnum_reply_close(ctx, buf, len, out_n);
}

static privnum_result call_route(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    (void)ctx;
    return privnum_reply_sms_route(number("+8613800000001"), number("+8613900000002"), LIT("u1"),
                                   buf, len, out_n);
}

static privnum_result call_discard(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    (void)ctx;
    return privnum_reply_sms_discard(LIT("u2"), buf, len, out_n);
}

static privnum_result call_control(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    return privnum_reply_call_control(ctx, buf, len, out_n);
}

static privnum_result call_failure(void *ctx, uint8_t *buf, size_t len, size_t *out_n)
{
    return privnum_push_cdr_failure(ctx, 0, buf, len, out_n);
}

static void test_insufficient_size(void)
{
    t_case c;
    t_begin(&c, "callbacks-insufficient-size");
    privnum_connect_options co;
    memset(&co, 0, sizeof co);
    co.callee = number("+8613900000002");
    co.has_display = true;
    co.display = number("+8617000000010");
    co.user_data = STR("ticket-7");
    size_protocol(&c, "reply_connect", call_connect, &co);
    privnum_close_options cl;
    memset(&cl, 0, sizeof cl);
    cl.close_hint_tone = STR("bye.wav");
    cl.form = PRIVNUM_INFO_FORM_ARRAY;
    size_protocol(&c, "reply_close", call_close, &cl);
    size_protocol(&c, "reply_sms_route", call_route, NULL);
    size_protocol(&c, "reply_sms_discard", call_discard, NULL);
    const privnum_param extras[2] = { { LIT("calledNo"), LIT("+8613900000002") },
                                      { LIT("note"), LIT("a \"quoted\" \\ value\n") } };
    privnum_call_control_options cc;
    memset(&cc, 0, sizeof cc);
    cc.operate = PRIVNUM_CONTROL_OPERATE_IVR;
    cc.call_no_play_code = STR("P1");
    cc.extra = extras;
    cc.n_extra = 2;
    size_protocol(&c, "reply_call_control", call_control, &cc);
    privnum_push *p = parse(CDRS);
    size_protocol(&c, "push_cdr_failure", call_failure, p);
    /* A record that did not fail: success, nothing written, even with no buffer. */
    size_t n = T_SENTINEL_SIZE;
    T_RESULT(&c, privnum_push_cdr_failure(p, 1, NULL, 0, &n), PRIVNUM_RESULT_OK);
    T_CHECK(&c, n == 0);
    uint8_t buf[256];
    T_RESULT(&c, privnum_push_cdr_failure(p, 0, buf, sizeof buf, &n), PRIVNUM_RESULT_OK);
    t_text(&c, "failure", buf, n, "7503 (callee hung up)", 21);
    privnum_push_free(p);
    t_end(&c);
}

/* ---- views and their lifetime --------------------------------------------- */

static void check_first_cdr(t_case *c, const privnum_cdr *r)
{
    T_VIEW(c, r->icid, "I1");
    T_VIEW(c, r->session_id, "S1");
    T_VIEW(c, r->key, "I1");
    T_VIEW(c, r->recording_file_name, "r.wav");
    T_VIEW(c, r->recording_domain, "rec.example");
    T_CHECK(c, r->has_recording && r->answered && r->talk_seconds == 120);
    T_CHECK(c, r->has_ring_seconds && r->ring_seconds == 5);
    T_CHECK(c, r->hung_up_by == PRIVNUM_PARTY_CALLEE && r->has_failure);
    T_CHECK(c, r->has_ul_fail_reason && r->ul_fail_reason == 7503);
    T_CHECK(c, r->has_caller_number && r->caller_number.bits == number("+8613800000001").bits);
    /* Absent versus present but empty. */
    T_ABSENT(c, r->sp_id);
    T_ABSENT(c, r->callee_num);
    T_CHECK(c, !r->has_call_in_time && r->call_in_time == 0);
    T_CHECK(c, r->user_data.data != NULL && r->user_data.len == 0);
}

static void test_views_live_until_free(void)
{
    t_case c;
    t_begin(&c, "push-views-live-until-free");
    /* The body is copied: the caller's buffer is wiped and freed at once. */
    size_t len = strlen(CDRS);
    char *body = malloc(len);
    if (body == NULL) {
        t_fail(&c, "out of memory");
        t_end(&c);
        return;
    }
    memcpy(body, CDRS, len);
    privnum_push *p = NULL;
    T_RESULT(&c, privnum_push_parse(U8(body), len, &p), PRIVNUM_RESULT_OK);
    memset(body, 'x', len);
    free(body);
    T_CHECK(&c, privnum_push_kind(p) == PRIVNUM_PUSH_KIND_CDRS);
    T_CHECK(&c, privnum_push_cdr_count(p) == 2);
    privnum_cdr r0, r1;
    T_RESULT(&c, privnum_push_cdr(p, 0, &r0), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_push_cdr(p, 1, &r1), PRIVNUM_RESULT_OK);
    privnum_str extra = { NULL, 0 };
    privnum_str none = { U8("sentinel"), 8 };
    T_RESULT(&c, privnum_push_cdr_field(p, 0, LIT("vendorExtra"), &extra), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_push_cdr_field(p, 0, LIT("noSuchField"), &none), PRIVNUM_RESULT_OK);
    T_ABSENT(&c, none);
    /* Views read through one handle stay valid while a clone lives. */
    privnum_push *q = NULL;
    T_RESULT(&c, privnum_push_clone(p, &q), PRIVNUM_RESULT_OK);
    T_CHECK(&c, q == p);
    privnum_push_free(p);
    check_first_cdr(&c, &r0);
    T_VIEW(&c, extra, "{\"a\":[1,2]}");
    T_VIEW(&c, r1.key, "S2");
    T_ABSENT(&c, r1.icid);
    T_CHECK(&c, r1.has_ul_fail_reason && r1.ul_fail_reason == 0 && !r1.has_failure);
    T_CHECK(&c, r1.hung_up_by == PRIVNUM_PARTY_NONE && !r1.answered && r1.talk_seconds == 0);
    /* Reading every byte of every view: ASan reports any view into freed memory. */
    const privnum_str all[] = { r0.icid, r0.session_id, r0.caller_num, r0.fwd_dst_num,
                                r0.record_object_name, r0.record_domain, r0.key, r1.session_id };
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++) {
        for (size_t j = 0; j < all[i].len; j++) {
            sum += all[i].data[j];
        }
    }
    T_CHECK(&c, sum > 0);
    privnum_push_free(q);

    /* A received push: its push is owned by the received, and a clone of that
     * push outlives it. */
    privnum_inbox *inbox = new_inbox();
    privnum_received *rec = NULL;
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(CALL), NULL, 0, 1714550400, &rec),
             PRIVNUM_RESULT_OK);
    const privnum_push *owned = privnum_received_push(rec);
    T_CHECK(&c, owned != NULL && privnum_received_push(rec) == owned);
    T_CHECK(&c, privnum_push_needs_reply(owned));
    privnum_push *mine = NULL;
    T_RESULT(&c, privnum_push_clone(owned, &mine), PRIVNUM_RESULT_OK);
    privnum_item item;
    T_RESULT(&c, privnum_received_item(rec, 0, &item), PRIVNUM_RESULT_OK);
    T_VIEW(&c, item.key, "call:S1:callin");
    T_CHECK(&c, !item.duplicate);
    privnum_received *rec2 = NULL;
    T_RESULT(&c, privnum_received_clone(rec, &rec2), PRIVNUM_RESULT_OK);
    privnum_received_free(rec);
    T_VIEW(&c, item.key, "call:S1:callin");
    T_RESULT(&c, privnum_inbox_commit(inbox, rec2, 1714550400), PRIVNUM_RESULT_OK);
    privnum_received_free(rec2);
    privnum_call_event ev;
    T_RESULT(&c, privnum_push_call(mine, &ev), PRIVNUM_RESULT_OK);
    T_CHECK(&c, ev.event == PRIVNUM_CALL_EVENT_CALL_IN && ev.needs_reply);
    T_VIEW(&c, ev.event_name, "callin");
    T_VIEW(&c, ev.session_id, "S1");
    T_VIEW(&c, ev.notify_mode, "Block");
    T_VIEW(&c, ev.party_type, "1");
    T_ABSENT(&c, ev.call_rel_direction);
    T_CHECK(&c, ev.has_caller_number && ev.has_called_number && !ev.has_timestamp);
    privnum_push_free(mine);
    /* The commit made a redelivery a duplicate. */
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(CALL), NULL, 0, 1714550460, &rec),
             PRIVNUM_RESULT_OK);
    T_CHECK(&c, privnum_received_is_duplicate(rec));
    privnum_received_free(rec);
    privnum_inbox_free(inbox);

    /* SMS and X-number status views. */
    privnum_push *s = parse(SMS);
    privnum_sms_event se;
    T_RESULT(&c, privnum_push_sms(s, &se), PRIVNUM_RESULT_OK);
    T_VIEW(&c, se.key, "sms:M1:Block");
    T_VIEW(&c, se.app_key, "k");
    T_CHECK(&c, se.needs_reply && se.has_split_num && se.split_num == 2 && !se.has_direction);
    T_CHECK(&c, se.ext_para_count == 1);
    privnum_str k = { NULL, 0 }, v = { NULL, 0 };
    T_RESULT(&c, privnum_push_sms_ext_para(s, 0, &k, &v), PRIVNUM_RESULT_OK);
    T_VIEW(&c, k, "splitNum");
    T_VIEW(&c, v, "2");
    T_ABSENT(&c, se.called);
    privnum_push_free(s);
    privnum_push *st = parse(STATUS);
    privnum_number_status_entry e;
    T_RESULT(&c, privnum_push_number_status(st, 0, &e), PRIVNUM_RESULT_OK);
    T_VIEW(&c, e.number, "+8617000000010");
    T_CHECK(&c, e.status == PRIVNUM_NUMBER_STATUS_UNAVAILABLE && e.has_cause &&
                    e.cause == PRIVNUM_UNAVAILABLE_CAUSE_ARREARS);
    T_CHECK(&c, !e.binding_usable && !e.new_bindings_allowed);
    privnum_push_free(st);
    t_end(&c);
}

/* ---- wrong kind, index out of range --------------------------------------- */

static void test_wrong_kind_and_range(void)
{
    t_case c;
    t_begin(&c, "push-wrong-kind-and-range");
    const privnum_result A = PRIVNUM_RESULT_INVALID_ARGUMENT;
    privnum_push *cdrs = parse(CDRS);
    privnum_push *call = parse(CALL);
    privnum_push *sms = parse(SMS);
    privnum_push *status = parse(STATUS);
    privnum_cdr r;
    privnum_call_event ev;
    privnum_sms_event se;
    privnum_number_status_entry ne;
    memset(&r, T_SENTINEL, sizeof r);
    memset(&ev, T_SENTINEL, sizeof ev);
    memset(&se, T_SENTINEL, sizeof se);
    memset(&ne, T_SENTINEL, sizeof ne);
    privnum_str v;
    memset(&v, T_SENTINEL, sizeof v);
    T_RESULT(&c, privnum_push_cdr(call, 0, &r), A);
    T_MESSAGE(&c, "the push is a call event (PRIVNUM_PUSH_KIND_CALL), not a CDR batch");
    T_RESULT(&c, privnum_push_cdr(cdrs, 2, &r), A);
    T_MESSAGE(&c, "index 2 is out of range: the push has 2 CDR records");
    T_RESULT(&c, privnum_push_cdr(cdrs, SIZE_MAX, &r), A);
    T_RESULT(&c, privnum_push_cdr_field(sms, 0, LIT("icid"), &v), A);
    T_RESULT(&c, privnum_push_cdr_field(cdrs, 9, LIT("icid"), &v), A);
    T_RESULT(&c, privnum_push_call(cdrs, &ev), A);
    T_MESSAGE(&c, "not a call event");
    T_RESULT(&c, privnum_push_sms(status, &se), A);
    T_MESSAGE(&c, "X-number status push");
    T_RESULT(&c, privnum_push_sms_ext_para(sms, 1, &v, &v), A);
    T_RESULT(&c, privnum_push_sms_ext_para(call, 0, &v, &v), A);
    T_RESULT(&c, privnum_push_number_status(sms, 0, &ne), A);
    T_RESULT(&c, privnum_push_number_status(status, 1, &ne), A);
    T_CHECK(&c, t_untouched(&r, sizeof r) && t_untouched(&ev, sizeof ev));
    T_CHECK(&c, t_untouched(&se, sizeof se) && t_untouched(&ne, sizeof ne));
    T_CHECK(&c, t_untouched(&v, sizeof v));
    T_CHECK(&c, privnum_push_cdr_count(call) == 0 && privnum_push_number_status_count(cdrs) == 0);
    T_CHECK(&c, privnum_push_number_status_count(status) == 1);
    T_CHECK(&c, !privnum_push_needs_reply(cdrs) && !privnum_push_needs_reply(status));
    T_CHECK(&c, privnum_push_needs_reply(call) && privnum_push_needs_reply(sms));

    privnum_inbox *inbox = new_inbox();
    privnum_received *rec = NULL;
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(STATUS), NULL, 0, 0, &rec), PRIVNUM_RESULT_OK);
    privnum_item item;
    memset(&item, T_SENTINEL, sizeof item);
    T_RESULT(&c, privnum_received_item(rec, 1, &item), A);
    T_CHECK(&c, t_untouched(&item, sizeof item));
    T_RESULT(&c, privnum_received_item(rec, 0, &item), PRIVNUM_RESULT_OK);
    T_ABSENT(&c, item.key);
    T_CHECK(&c, !item.duplicate);
    privnum_verified vd;
    memset(&vd, T_SENTINEL, sizeof vd);
    T_RESULT(&c, privnum_received_verified(rec, &vd), A);
    T_MESSAGE(&c, "not verified");
    T_CHECK(&c, t_untouched(&vd, sizeof vd));
    privnum_received_free(rec);
    privnum_inbox_free(inbox);

    privnum_push_free(status);
    privnum_push_free(sms);
    privnum_push_free(call);
    privnum_push_free(cdrs);
    t_end(&c);
}

/* ---- invalid UTF-8 and unknown values ------------------------------------- */

static void test_invalid_utf8(void)
{
    t_case c;
    t_begin(&c, "callbacks-invalid-utf8");
    const privnum_result U = PRIVNUM_RESULT_INVALID_UTF8;
    uint8_t buf[256];
    size_t n = T_SENTINEL_SIZE;
    uint32_t u = 7;
    /* A body is bytes: not UTF-8 is a push error, not an argument error. */
    privnum_push *p = NULL;
    T_RESULT(&c, privnum_push_parse(BAD, &p), PRIVNUM_RESULT_PUSH_INVALID_JSON);
    T_MESSAGE(&c, "not UTF-8");
    p = parse(CDRS);
    privnum_str v;
    T_RESULT(&c, privnum_push_cdr_field(p, 0, BAD, &v), U);
    T_MESSAGE(&c, "name");
    privnum_push_free(p);
    privnum_inbox *inbox = NULL;
    T_RESULT(&c, privnum_inbox_new(NULL, BAD, LIT("s"), &inbox), U);
    T_MESSAGE(&c, "app_key");
    T_RESULT(&c, privnum_inbox_new(NULL, LIT("k"), BAD, &inbox), U);
    T_MESSAGE(&c, "app_secret");
    T_CHECK(&c, inbox == NULL);
    inbox = new_inbox();
    const privnum_header bad_header[1] = { { LIT("X-Other"), BAD } };
    privnum_received *rec = NULL;
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(CDRS), bad_header, 1, 0, &rec), U);
    T_MESSAGE(&c, "headers[0].value");
    T_CHECK(&c, rec == NULL);
    privnum_inbox_free(inbox);
    T_RESULT(&c, privnum_number_status_parse(BAD, &u), U);
    T_RESULT(&c, privnum_unavailable_cause_parse(BAD, &u), U);
    T_CHECK(&c, u == 7);
    T_CHECK(&c, privnum_result_code_action(BAD, 200) == PRIVNUM_ACTION_UNKNOWN);
    privnum_segment_count seg;
    T_RESULT(&c, privnum_sms_segments(BAD, NULL, &seg), U);
    privnum_connect_options co;
    memset(&co, 0, sizeof co);
    co.callee = number("+8613900000002");
    co.last_min_voice = (privnum_str){ BAD };
    T_RESULT(&c, privnum_reply_connect(&co, buf, sizeof buf, &n), U);
    T_MESSAGE(&c, "opts->last_min_voice is not valid UTF-8");
    privnum_call_control_options cc;
    memset(&cc, 0, sizeof cc);
    cc.operate = PRIVNUM_CONTROL_OPERATE_REJECT;
    const privnum_param bad_extra[2] = { { LIT("a"), LIT("1") }, { BAD, LIT("2") } };
    cc.extra = bad_extra;
    cc.n_extra = 2;
    T_RESULT(&c, privnum_reply_call_control(&cc, buf, sizeof buf, &n), U);
    T_MESSAGE(&c, "opts->extra[1].name");
    T_RESULT(&c, privnum_reply_sms_discard(BAD, buf, sizeof buf, &n), U);
    T_CHECK(&c, n == T_SENTINEL_SIZE);
    t_end(&c);
}

static void test_unknown_values(void)
{
    t_case c;
    t_begin(&c, "callbacks-unknown-values");
    const privnum_result A = PRIVNUM_RESULT_INVALID_ARGUMENT;
    uint8_t buf[512];
    size_t n = T_SENTINEL_SIZE;
    privnum_number bad = { UINT64_MAX };
    privnum_connect_options co;
    memset(&co, 0, sizeof co);
    co.callee = bad;
    T_RESULT(&c, privnum_reply_connect(&co, buf, sizeof buf, &n), A);
    T_MESSAGE(&c, "opts->callee");
    co.callee = number("+8613900000002");
    co.has_display = true;
    co.display = bad;
    T_RESULT(&c, privnum_reply_connect(&co, buf, sizeof buf, &n), A);
    T_MESSAGE(&c, "opts->display");
    /* display is only read when has_display is set. */
    co.has_display = false;
    T_RESULT(&c, privnum_reply_connect(&co, buf, sizeof buf, &n), PRIVNUM_RESULT_OK);
    n = T_SENTINEL_SIZE;
    co.form = 3;
    T_RESULT(&c, privnum_reply_connect(&co, buf, sizeof buf, &n), A);
    T_MESSAGE(&c, "3 is not a known info form");
    privnum_close_options cl;
    memset(&cl, 0, sizeof cl);
    cl.form = UINT32_MAX;
    T_RESULT(&c, privnum_reply_close(&cl, buf, sizeof buf, &n), A);
    privnum_call_control_options cc;
    memset(&cc, 0, sizeof cc);
    T_RESULT(&c, privnum_reply_call_control(&cc, buf, sizeof buf, &n), A);
    T_MESSAGE(&c, "0 is not a known control operation");
    cc.operate = 4;
    T_RESULT(&c, privnum_reply_call_control(&cc, buf, sizeof buf, &n), A);
    T_RESULT(&c, privnum_reply_sms_route(bad, number("+8613900000002"), NULL, 0, buf, sizeof buf,
                                         &n),
             A);
    T_MESSAGE(&c, "calling");
    T_CHECK(&c, n == T_SENTINEL_SIZE);
    privnum_segment_count seg;
    memset(&seg, T_SENTINEL, sizeof seg);
    T_RESULT(&c, privnum_sms_segments(LIT("hi"), &bad, &seg), A);
    T_CHECK(&c, t_untouched(&seg, sizeof seg));
    uint32_t u = 7;
    T_RESULT(&c, privnum_number_status_parse(LIT("-5"), &u), A);
    T_RESULT(&c, privnum_number_status_parse(LIT("99999999999"), &u), A);
    T_RESULT(&c, privnum_unavailable_cause_parse(LIT(" 2"), &u), A);
    T_CHECK(&c, u == 7);

    /* Name lookups: NULL for values that are not constants. */
    T_CHECK(&c, privnum_push_kind_name(0) == NULL && privnum_push_kind_name(5) == NULL);
    T_CHECK(&c, strcmp(privnum_push_kind_name(PRIVNUM_PUSH_KIND_NUMBER_STATUS), "number_status") == 0);
    T_CHECK(&c, privnum_fail_category_name(0) == NULL && privnum_fail_category_name(10) == NULL);
    T_CHECK(&c, strcmp(privnum_fail_category_name(PRIVNUM_FAIL_CATEGORY_NO_BINDING), "no_binding") == 0);
    T_CHECK(&c, privnum_party_name(PRIVNUM_PARTY_NONE) == NULL && privnum_party_name(4) == NULL);
    T_CHECK(&c, strcmp(privnum_party_name(PRIVNUM_PARTY_PLATFORM), "platform") == 0);
    T_CHECK(&c, privnum_action_name(0) == NULL && privnum_action_name(12) == NULL);
    T_CHECK(&c, strcmp(privnum_action_name(PRIVNUM_ACTION_BACK_OFF), "back_off") == 0);
    T_CHECK(&c, privnum_sms_encoding_name(0) == NULL && privnum_sms_encoding_name(3) == NULL);
    T_CHECK(&c, strcmp(privnum_sms_encoding_name(PRIVNUM_SMS_ENCODING_UCS2), "ucs2") == 0);
    T_CHECK(&c, privnum_info_form_name(0) == NULL && privnum_info_form_name(3) == NULL);
    T_CHECK(&c, strcmp(privnum_info_form_name(PRIVNUM_INFO_FORM_ARRAY), "array") == 0);
    T_CHECK(&c, privnum_control_operate_name(0) == NULL && privnum_control_operate_name(4) == NULL);
    T_CHECK(&c, strcmp(privnum_control_operate_name(PRIVNUM_CONTROL_OPERATE_IVR), "IVR") == 0);
    /* Statuses and causes always have a name; unknown ones are "other". */
    T_CHECK(&c, strcmp(privnum_number_status_name(4), "other") == 0);
    T_CHECK(&c, privnum_number_status_description(4) == NULL);
    T_CHECK(&c, strcmp(privnum_unavailable_cause_name(4), "other") == 0);
    T_CHECK(&c, privnum_unavailable_cause_description(4) == NULL);
    /* Code lookups. */
    T_CHECK(&c, strcmp(privnum_fail_reason_description(7503), "callee hung up") == 0);
    T_CHECK(&c, privnum_fail_reason_description(12345) == NULL);
    T_CHECK(&c, privnum_fail_reason_category(12345) == PRIVNUM_FAIL_CATEGORY_UNKNOWN);
    T_CHECK(&c, privnum_fail_reason_category(8045) == PRIVNUM_FAIL_CATEGORY_RESTRICTED);
    T_CHECK(&c, privnum_fail_reason_hung_up_by(8010) == PRIVNUM_PARTY_PLATFORM);
    T_CHECK(&c, strcmp(privnum_q850_description(17), "user busy") == 0);
    T_CHECK(&c, privnum_result_code_action(LIT("1010010"), 401) == PRIVNUM_ACTION_FIX_AUTH);
    T_CHECK(&c, privnum_result_code_action(LIT("1010010"), -1) == PRIVNUM_ACTION_BACK_OFF);
    T_CHECK(&c, privnum_result_code_action(LIT("1010010"), 70000) == PRIVNUM_ACTION_BACK_OFF);
    T_CHECK(&c, strcmp(privnum_result_code_description(LIT("1010010"), 401),
                       "invalid digest (signature does not match)") == 0);
    T_CHECK(&c, privnum_result_code_max_retries(LIT("1023002"), 500) == 1);
    T_CHECK(&c, privnum_result_code_action(LIT("01010002"), 400) == PRIVNUM_ACTION_UNKNOWN);
    T_CHECK(&c, PRIVNUM_BACK_OFF_SECS == 60);
    T_CHECK(&c, strcmp(privnum_send_result_description(0), "success") == 0);
    T_CHECK(&c, privnum_send_result_description(2) == NULL && !privnum_send_result_is_success(2));
    t_end(&c);
}

/* ---- reply option semantics ------------------------------------------------ */

static void reply_text(t_case *c, const char *what, privnum_result r, const uint8_t *buf, size_t n,
                       const char *want)
{
    if (r != PRIVNUM_RESULT_OK) {
        char msg[512];
        t_last_error(msg, sizeof msg);
        t_fail(c, "%s: %s: %s", what, t_name(r), msg);
        return;
    }
    t_text(c, what, buf, n, want, strlen(want));
}

static void test_reply_options(void)
{
    t_case c;
    t_begin(&c, "reply-options");
    uint8_t buf[1024];
    size_t n = 0;
    privnum_call_control_options cc;
    memset(&cc, 0, sizeof cc);
    cc.operate = PRIVNUM_CONTROL_OPERATE_REJECT;
    /* { NULL, 0 }: the defaults, "OK" and "0". */
    privnum_result r = privnum_reply_call_control(&cc, buf, sizeof buf, &n);
    reply_text(&c, "defaults", r, buf, n,
               "{\"code\":\"OK\",\"message\":\"OK\",\"model\":{\"controlOperate\":\"REJECT\","
               "\"subsId\":\"0\"}}");
    /* Present but empty: written as given (message) or refused (subsId). */
    cc.message = (privnum_str){ U8(""), 0 };
    r = privnum_reply_call_control(&cc, buf, sizeof buf, &n);
    reply_text(&c, "empty message", r, buf, n,
               "{\"code\":\"OK\",\"message\":\"\",\"model\":{\"controlOperate\":\"REJECT\","
               "\"subsId\":\"0\"}}");
    cc.subs_id = (privnum_str){ U8(""), 0 };
    T_RESULT(&c, privnum_reply_call_control(&cc, buf, sizeof buf, &n), PRIVNUM_RESULT_REPLY_INVALID);
    T_MESSAGE(&c, "model.subsId");

    /* A zeroed connect: the object form, recording off, nothing else. */
    privnum_connect_options co;
    memset(&co, 0, sizeof co);
    co.callee = number("13900000002");
    r = privnum_reply_connect(&co, buf, sizeof buf, &n);
    const char *minimal = "{\"operation\":\"connect\",\"connectInfo\":{\"calleeNum\":\"+8613900000002\","
                          "\"recordFlag\":\"false\"}}";
    reply_text(&c, "zeroed connect", r, buf, n, minimal);
    co.form = PRIVNUM_INFO_FORM_OBJECT;
    co.wait_voice = (privnum_str){ U8(""), 0 }; /* empty: left out */
    r = privnum_reply_connect(&co, buf, sizeof buf, &n);
    reply_text(&c, "explicit object form", r, buf, n, minimal);
    /* A C bool holding a byte other than 0 or 1 counts as true. */
    memset(&co.record, 0x5A, sizeof co.record);
    r = privnum_reply_connect(&co, buf, sizeof buf, &n);
    reply_text(&c, "record", r, buf, n,
               "{\"operation\":\"connect\",\"connectInfo\":{\"calleeNum\":\"+8613900000002\","
               "\"recordFlag\":\"true\"}}");
    co.record = false;
    co.has_max_duration = true;
    co.max_duration_minutes = PRIVNUM_MAX_DURATION_MINUTES + 1;
    T_RESULT(&c, privnum_reply_connect(&co, buf, sizeof buf, &n), PRIVNUM_RESULT_REPLY_INVALID);
    T_MESSAGE(&c, "connectInfo.maxDuration");

    /* NULL close options are the zeroed ones. */
    privnum_close_options cl;
    memset(&cl, 0, sizeof cl);
    uint8_t other[256];
    size_t m = 0;
    T_RESULT(&c, privnum_reply_close(&cl, buf, sizeof buf, &n), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_reply_close(NULL, other, sizeof other, &m), PRIVNUM_RESULT_OK);
    t_text(&c, "close", buf, n, (const char *)other, m);
    t_end(&c);
}

/* ---- inbox settings, limits and signatures --------------------------------- */

static void test_inbox_config_and_limits(void)
{
    t_case c;
    t_begin(&c, "inbox-config-and-limits");
    privnum_inbox_config cfg;
    memset(&cfg, T_SENTINEL, sizeof cfg);
    T_RESULT(&c, privnum_inbox_config_default(&cfg), PRIVNUM_RESULT_OK);
    T_CHECK(&c, cfg.max_body_bytes == 1048576 && cfg.dedup_window_secs == 21600);
    T_CHECK(&c, cfg.dedup_capacity == 200000);
    T_CHECK(&c, cfg.verifier.max_age_secs == 21600 && cfg.verifier.accept_wsse);
    privnum_inbox *inbox = NULL;
    T_RESULT(&c, privnum_inbox_new(NULL, LIT("k"), NULL, 0, &inbox),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_MESSAGE(&c, "app_key and app_secret");
    T_RESULT(&c, privnum_inbox_new(NULL, NULL, 0, LIT("s"), &inbox),
             PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_RESULT(&c, privnum_inbox_new(NULL, LIT("bad key"), LIT("s"), &inbox),
             PRIVNUM_RESULT_INVALID_APP_KEY);
    T_RESULT(&c, privnum_inbox_new(NULL, LIT("k"), U8(""), 0, &inbox),
             PRIVNUM_RESULT_INVALID_APP_SECRET);
    T_CHECK(&c, inbox == NULL);

    cfg.max_body_bytes = 16;
    T_RESULT(&c, privnum_inbox_new(&cfg, NULL, 0, NULL, 0, &inbox), PRIVNUM_RESULT_OK);
    privnum_received *rec = NULL;
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(CDRS), NULL, 0, 0, &rec),
             PRIVNUM_RESULT_PUSH_TOO_LARGE);
    T_MESSAGE(&c, "at most 16 are accepted");
    T_CHECK(&c, rec == NULL);
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT("{\"x\":1}"), NULL, 0, 0, &rec),
             PRIVNUM_RESULT_PUSH_UNKNOWN_KIND);
    privnum_inbox *clone = NULL;
    T_RESULT(&c, privnum_inbox_clone(inbox, &clone), PRIVNUM_RESULT_OK);
    privnum_inbox_free(inbox);
    T_RESULT(&c, privnum_inbox_receive(clone, LIT(CDRS), NULL, 0, 0, &rec),
             PRIVNUM_RESULT_PUSH_TOO_LARGE);
    privnum_inbox_free(clone);

    /* De-duplication off: nothing is ever a duplicate. */
    T_RESULT(&c, privnum_inbox_config_default(&cfg), PRIVNUM_RESULT_OK);
    cfg.dedup_capacity = 0;
    T_RESULT(&c, privnum_inbox_new(&cfg, NULL, 0, NULL, 0, &inbox), PRIVNUM_RESULT_OK);
    for (int i = 0; i < 2; i++) {
        T_RESULT(&c, privnum_inbox_receive(inbox, LIT(CDRS), NULL, 0, 100, &rec), PRIVNUM_RESULT_OK);
        T_CHECK(&c, !privnum_received_is_duplicate(rec) && privnum_received_item_count(rec) == 2);
        T_RESULT(&c, privnum_inbox_commit(inbox, rec, 100), PRIVNUM_RESULT_OK);
        privnum_received_free(rec);
    }
    privnum_inbox_free(inbox);
    t_end(&c);
}

static void test_inbox_signatures(void)
{
    t_case c;
    t_begin(&c, "inbox-signatures-and-release");
    privnum_signer *signer = NULL;
    T_RESULT(&c, privnum_signer_new(LIT("appkey"), LIT("secret"), &signer), PRIVNUM_RESULT_OK);
    uint8_t token[512];
    size_t token_n = 0;
    T_RESULT(&c, privnum_signer_sign(signer, PRIVNUM_SCHEME_AKSK, LIT("nonce1"),
                                     LIT("2024-05-01T08:00:00Z"), token, sizeof token, &token_n),
             PRIVNUM_RESULT_OK);
    const char *auth = privnum_scheme_authorization(PRIVNUM_SCHEME_AKSK);
    const privnum_header headers[2] = { { LIT("Authorization"), U8(auth), strlen(auth) },
                                        { LIT("X-AKSK"), token, token_n } };
    privnum_inbox *inbox = NULL;
    T_RESULT(&c, privnum_inbox_new(NULL, LIT("appkey"), LIT("secret"), &inbox), PRIVNUM_RESULT_OK);
    const int64_t now = 1714550400;
    privnum_received *rec = NULL;
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(SMS), NULL, 0, now, &rec),
             PRIVNUM_RESULT_AUTH_MISSING);
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(SMS), headers, 2, now, &rec), PRIVNUM_RESULT_OK);
    T_CHECK(&c, privnum_received_is_verified(rec));
    privnum_verified vd;
    T_RESULT(&c, privnum_received_verified(rec, &vd), PRIVNUM_RESULT_OK);
    T_CHECK(&c, vd.scheme == PRIVNUM_SCHEME_AKSK && vd.created == now && vd.nonce_len == 6 &&
                    memcmp(vd.nonce, "nonce1", 6) == 0);
    privnum_received *again = NULL;
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(SMS), headers, 2, now, &again),
             PRIVNUM_RESULT_AUTH_REPLAYED);
    /* Processing failed: release the nonce so that the redelivery gets in. */
    T_RESULT(&c, privnum_inbox_release(inbox, rec), PRIVNUM_RESULT_OK);
    privnum_received_free(rec);
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(SMS), headers, 2, now, &again),
             PRIVNUM_RESULT_OK);
    T_CHECK(&c, !privnum_received_is_duplicate(again));
    privnum_received_free(again);
    /* A body that does not parse releases its nonce by itself. */
    T_RESULT(&c, privnum_signer_sign(signer, PRIVNUM_SCHEME_AKSK, LIT("nonce2"),
                                     LIT("2024-05-01T08:00:00Z"), token, sizeof token, &token_n),
             PRIVNUM_RESULT_OK);
    const privnum_header h2[2] = { headers[0], { LIT("X-AKSK"), token, token_n } };
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT("{"), h2, 2, now, &rec),
             PRIVNUM_RESULT_PUSH_INVALID_JSON);
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(STATUS), h2, 2, now, &rec), PRIVNUM_RESULT_OK);
    privnum_received_free(rec);
    /* An inbox without a secret ignores the headers, and release does nothing. */
    privnum_inbox *plain = new_inbox();
    T_RESULT(&c, privnum_inbox_receive(plain, LIT(STATUS), h2, 2, now, &rec), PRIVNUM_RESULT_OK);
    T_CHECK(&c, !privnum_received_is_verified(rec));
    T_RESULT(&c, privnum_inbox_release(plain, rec), PRIVNUM_RESULT_OK);
    privnum_received_free(rec);
    privnum_inbox_free(plain);
    privnum_inbox_free(inbox);
    privnum_signer_free(signer);
    t_end(&c);
}

/* ---- one inbox shared by threads ------------------------------------------ */

#define N_THREADS 8
#define N_ROUNDS 30

static const char SHARED_CDR[] =
    "{\"eventType\":\"fee\",\"feeLst\":[{\"icid\":\"shared\",\"callerNum\":\"+8613800000001\"}]}";

typedef struct inbox_shared {
    const privnum_inbox *inbox;
    pthread_barrier_t *barrier;
} inbox_shared;

typedef struct inbox_worker {
    const inbox_shared *sh;
    int index;
    int failures;
    char first_failure[256];
    bool shared_was_new;
    privnum_received *handed_over; /* freed by the main thread */
} inbox_worker;

__attribute__((format(printf, 2, 3))) static void worker_fail(inbox_worker *w, const char *fmt, ...)
{
    if (w->failures++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(w->first_failure, sizeof w->first_failure, fmt, ap);
        va_end(ap);
    }
}

static void *inbox_worker_main(void *arg)
{
    inbox_worker *w = arg;
    privnum_inbox *own = NULL;
    const privnum_inbox *inbox = w->sh->inbox;
    /* Odd workers use their own handle to the shared inbox. */
    if (w->index % 2 == 1) {
        if (privnum_inbox_clone(w->sh->inbox, &own) != PRIVNUM_RESULT_OK) {
            worker_fail(w, "clone failed");
        } else {
            inbox = own;
        }
    }
    const int64_t now = 1714550400;
    for (int round = 0; round < N_ROUNDS; round++) {
        char body[256];
        int len = snprintf(body, sizeof body,
                           "{\"eventType\":\"fee\",\"feeLst\":[{\"icid\":\"t%d-r%d\"},"
                           "{\"icid\":\"t%d-r%d-b\",\"callEndTime\":\"2024-05-01 08:00:00\"}]}",
                           w->index, round, w->index, round);
        privnum_received *rec = NULL;
        privnum_result r = privnum_inbox_receive(inbox, U8(body), (size_t)len, NULL, 0, now, &rec);
        if (r != PRIVNUM_RESULT_OK) {
            worker_fail(w, "receive round %d: %s", round, t_name(r));
            continue;
        }
        /* The caller's buffer is gone before the push is read. */
        memset(body, 0, sizeof body);
        const privnum_push *p = privnum_received_push(rec);
        privnum_cdr cdr;
        char want[32];
        snprintf(want, sizeof want, "t%d-r%d", w->index, round);
        if (privnum_received_is_duplicate(rec) || privnum_push_cdr(p, 0, &cdr) != PRIVNUM_RESULT_OK ||
            !view_eq(cdr.icid, want)) {
            worker_fail(w, "round %d: wrong first record", round);
        }
        if (privnum_inbox_commit(inbox, rec, now) != PRIVNUM_RESULT_OK) {
            worker_fail(w, "commit round %d", round);
        }
        privnum_received_free(rec);
        /* The same push again: a duplicate now. */
        snprintf(body, sizeof body,
                 "{\"eventType\":\"fee\",\"feeLst\":[{\"icid\":\"t%d-r%d\"},"
                 "{\"icid\":\"t%d-r%d-b\",\"callEndTime\":\"2024-05-01 08:00:00\"}]}",
                 w->index, round, w->index, round);
        r = privnum_inbox_receive(inbox, U8(body), (size_t)len, NULL, 0, now + 60, &rec);
        if (r != PRIVNUM_RESULT_OK || !privnum_received_is_duplicate(rec)) {
            worker_fail(w, "redelivery round %d not a duplicate", round);
        }
        privnum_received_free(r == PRIVNUM_RESULT_OK ? rec : NULL);
    }
    /* Everyone receives the same new push at once: nothing is committed yet,
     * so every thread sees it as new. */
    pthread_barrier_wait(w->sh->barrier);
    privnum_received *rec = NULL;
    if (privnum_inbox_receive(inbox, LIT(SHARED_CDR), NULL, 0, now, &rec) != PRIVNUM_RESULT_OK) {
        worker_fail(w, "shared receive failed");
    } else {
        w->shared_was_new = !privnum_received_is_duplicate(rec);
        pthread_barrier_wait(w->sh->barrier);
        (void)privnum_inbox_commit(inbox, rec, now);
        w->handed_over = rec; /* read and freed by the main thread */
    }
    privnum_inbox_free(own);
    return NULL;
}

static void test_inbox_threads(void)
{
    t_case c;
    t_begin(&c, "inbox-shared-by-threads");
    privnum_inbox *original = new_inbox();
    privnum_inbox *inbox = NULL;
    T_RESULT(&c, privnum_inbox_clone(original, &inbox), PRIVNUM_RESULT_OK);
    privnum_inbox_free(original);
    pthread_barrier_t barrier;
    pthread_barrier_init(&barrier, NULL, N_THREADS);
    inbox_shared sh = { inbox, &barrier };
    inbox_worker workers[N_THREADS];
    pthread_t ids[N_THREADS];
    for (int i = 0; i < N_THREADS; i++) {
        memset(&workers[i], 0, sizeof workers[i]);
        workers[i].sh = &sh;
        workers[i].index = i;
        if (pthread_create(&ids[i], NULL, inbox_worker_main, &workers[i]) != 0) {
            fprintf(stderr, "pthread_create failed\n");
            exit(2); /* the barrier would never open */
        }
    }
    for (int i = 0; i < N_THREADS; i++) {
        pthread_join(ids[i], NULL);
        inbox_worker *w = &workers[i];
        if (w->failures > 0) {
            t_fail(&c, "thread %d: %d failures, first: %s", i, w->failures, w->first_failure);
        }
        if (!w->shared_was_new) {
            t_fail(&c, "thread %d saw the shared push as a duplicate before any commit", i);
        }
        /* A received made on another thread, read and freed here. */
        if (w->handed_over != NULL) {
            privnum_cdr cdr;
            T_RESULT(&c, privnum_push_cdr(privnum_received_push(w->handed_over), 0, &cdr),
                     PRIVNUM_RESULT_OK);
            T_VIEW(&c, cdr.icid, "shared");
            privnum_received_free(w->handed_over);
        }
    }
    pthread_barrier_destroy(&barrier);
    /* Every thread's commits are visible to all. */
    privnum_received *rec = NULL;
    T_RESULT(&c, privnum_inbox_receive(inbox, LIT(SHARED_CDR), NULL, 0, 1714550500, &rec),
             PRIVNUM_RESULT_OK);
    T_CHECK(&c, privnum_received_is_duplicate(rec));
    privnum_received_free(rec);
    T_RESULT(&c,
             privnum_inbox_receive(inbox, LIT("{\"eventType\":\"fee\",\"feeLst\":[{\"icid\":\"t3-r7\"},{\"icid\":\"new\"}]}"),
                                   NULL, 0, 1714550500, &rec),
             PRIVNUM_RESULT_OK);
    privnum_item item;
    T_RESULT(&c, privnum_received_item(rec, 0, &item), PRIVNUM_RESULT_OK);
    T_CHECK(&c, item.duplicate);
    T_VIEW(&c, item.key, "cdr:t3-r7");
    T_RESULT(&c, privnum_received_item(rec, 1, &item), PRIVNUM_RESULT_OK);
    T_CHECK(&c, !item.duplicate);
    T_CHECK(&c, !privnum_received_is_duplicate(rec));
    privnum_received_free(rec);
    privnum_inbox_free(inbox);
    t_end(&c);
}

/* ---- call-control queries -------------------------------------------------- */

static const char CC_SECRET[] = "ctlsecret";
#define CC_NOW INT64_C(1714550400) /* 2024-05-01T08:00:00Z */

static privnum_params_verifier *cc_verifier(void)
{
    privnum_params_verifier *v = NULL;
    if (privnum_params_verifier_new(PRIVNUM_PARAMS_PROFILE_CALL_CONTROL, LIT(CC_SECRET), NULL,
                                    &v) != PRIVNUM_RESULT_OK) {
        fprintf(stderr, "cannot create a parameter verifier\n");
        exit(2);
    }
    return v;
}

/* Sign params[0..n) with CC_SECRET and append the signature as params[n]
 * (a view of sig, which must hold 64 bytes); returns n + 1. */
static size_t cc_sign(privnum_param *params, size_t n, uint8_t *sig)
{
    size_t len = 0;
    if (privnum_params_sign(PRIVNUM_PARAMS_PROFILE_CALL_CONTROL, LIT(CC_SECRET), params, n, sig,
                            64, &len) != PRIVNUM_RESULT_OK) {
        fprintf(stderr, "cannot sign a call-control query\n");
        exit(2);
    }
    params[n] = (privnum_param){ LIT("signature"), sig, len };
    return n + 1;
}

static void test_call_control_null_parameters(void)
{
    t_case c;
    t_begin(&c, "call-control-null-parameters");
    const privnum_result NUL = PRIVNUM_RESULT_NULL_PARAMETER;
    privnum_params_verifier *v = cc_verifier();
    uint8_t sig[64];
    privnum_param ps[4] = { { LIT("callNo"), LIT("13800000021") },
                            { LIT("secretNo"), LIT("17000000010") },
                            { LIT("signatureNonce"), LIT("null-1") },
                            { LIT("timestamp"), LIT("2024-05-01T08:00:00Z") } };
    privnum_param signed_ps[5];
    memcpy(signed_ps, ps, sizeof ps);
    size_t n = cc_sign(signed_ps, 4, sig);
    const privnum_param null_name[1] = { { NULL, 6, LIT("1") } };
    const privnum_param null_value[2] = { { LIT("callNo"), LIT("1") }, { LIT("secretNo"), NULL, 1 } };
    privnum_call_control *cc = NULL;
    T_RESULT(&c, privnum_call_control_parse(ps, 2, &cc), PRIVNUM_RESULT_OK);
    privnum_call_control *out = (privnum_call_control *)&out; /* sentinel */
    privnum_call_control *const sentinel = out;
    privnum_call_control_query q;
    memset(&q, T_SENTINEL, sizeof q);
    privnum_params_verified pv;
    memset(&pv, T_SENTINEL, sizeof pv);

    T_RESULT(&c, privnum_call_control_receive(NULL, signed_ps, n, CC_NOW, &out), NUL);
    T_MESSAGE(&c, "verifier is NULL");
    T_RESULT(&c, privnum_call_control_receive(v, NULL, n, CC_NOW, &out), NUL);
    T_MESSAGE(&c, "params");
    T_RESULT(&c, privnum_call_control_receive(v, null_name, 1, CC_NOW, &out), NUL);
    T_MESSAGE(&c, "params[0].name");
    T_RESULT(&c, privnum_call_control_receive(v, signed_ps, n, CC_NOW, NULL), NUL);
    T_MESSAGE(&c, "out is NULL");
    T_RESULT(&c, privnum_call_control_parse(NULL, 2, &out), NUL);
    T_MESSAGE(&c, "params");
    T_RESULT(&c, privnum_call_control_parse(null_value, 2, &out), NUL);
    T_MESSAGE(&c, "params[1].value");
    T_RESULT(&c, privnum_call_control_parse(ps, 2, NULL), NUL);
    T_MESSAGE(&c, "out is NULL");
    T_RESULT(&c, privnum_call_control_clone(NULL, &out), NUL);
    T_MESSAGE(&c, "query is NULL");
    T_RESULT(&c, privnum_call_control_clone(cc, NULL), NUL);
    T_CHECK(&c, out == sentinel);
    T_RESULT(&c, privnum_call_control_get(NULL, &q), NUL);
    T_MESSAGE(&c, "query is NULL");
    T_RESULT(&c, privnum_call_control_get(cc, NULL), NUL);
    T_CHECK(&c, t_untouched(&q, sizeof q));
    T_CHECK(&c, !privnum_call_control_is_verified(NULL));
    T_RESULT(&c, privnum_call_control_verified(NULL, &pv), NUL);
    T_RESULT(&c, privnum_call_control_verified(cc, NULL), NUL);
    T_CHECK(&c, t_untouched(&pv, sizeof pv));
    privnum_call_control_free(NULL);
    /* The refused calls did not consume the nonce. */
    T_RESULT(&c, privnum_call_control_receive(v, signed_ps, n, CC_NOW, &out), PRIVNUM_RESULT_OK);
    if (out != sentinel) {
        privnum_call_control_free(out);
    }
    privnum_call_control_free(cc);
    privnum_params_verifier_free(v);
    t_end(&c);
}

static void test_call_control_parse(void)
{
    t_case c;
    t_begin(&c, "call-control-parse-and-views");
    /* The parameters are copied: the caller's buffer is wiped and freed at once. */
    static const char TEXT[] = "callNo13800000021secretNo17000000010extensioncallTime"
                               "20240501160000callIdcall-1recordTypeVIDEOvendorExtrax";
    char *buf = malloc(sizeof TEXT);
    if (buf == NULL) {
        t_fail(&c, "out of memory");
        t_end(&c);
        return;
    }
    memcpy(buf, TEXT, sizeof TEXT);
    const uint8_t *b = U8(buf);
    /* name and value lengths laid out along TEXT */
    const size_t lens[] = { 6, 11, 8, 11, 9, 0, 8, 14, 6, 6, 10, 5, 11, 1 };
    privnum_param ps[7];
    size_t at = 0;
    for (size_t i = 0; i < 7; i++) {
        ps[i] = (privnum_param){ b + at, lens[2 * i], b + at + lens[2 * i], lens[2 * i + 1] };
        at += lens[2 * i] + lens[2 * i + 1];
    }
    T_CHECK(&c, at == sizeof TEXT - 1);
    privnum_call_control *cc = NULL;
    T_RESULT(&c, privnum_call_control_parse(ps, 7, &cc), PRIVNUM_RESULT_OK);
    memset(buf, 'x', sizeof TEXT);
    free(buf);
    if (cc == NULL) {
        t_end(&c);
        return;
    }
    privnum_call_control_query q;
    T_RESULT(&c, privnum_call_control_get(cc, &q), PRIVNUM_RESULT_OK);
    /* Views read through one handle stay valid while a clone lives. */
    privnum_call_control *cc2 = NULL;
    T_RESULT(&c, privnum_call_control_clone(cc, &cc2), PRIVNUM_RESULT_OK);
    T_CHECK(&c, cc2 == cc);
    privnum_call_control_free(cc);
    T_VIEW(&c, q.call_no, "13800000021");
    T_VIEW(&c, q.secret_no, "17000000010");
    T_ABSENT(&c, q.extension); /* an empty value is absent */
    T_VIEW(&c, q.call_time, "20240501160000");
    T_VIEW(&c, q.call_id, "call-1");
    T_VIEW(&c, q.record_type, "VIDEO");
    T_CHECK(&c, q.record_type_kind == PRIVNUM_RECORD_TYPE_OTHER);
    T_CHECK(&c, q.has_call_time_utc8 && q.call_time_utc8 == CC_NOW);
    T_CHECK(&c, q.has_caller && q.caller.bits == number("13800000021").bits);
    T_CHECK(&c, q.has_x && q.x.bits == number("+8617000000010").bits);
    T_CHECK(&c, !privnum_call_control_is_verified(cc2));
    privnum_params_verified pv;
    memset(&pv, T_SENTINEL, sizeof pv);
    T_RESULT(&c, privnum_call_control_verified(cc2, &pv), PRIVNUM_RESULT_INVALID_ARGUMENT);
    T_MESSAGE(&c, "not verified");
    T_CHECK(&c, t_untouched(&pv, sizeof pv));
    privnum_call_control_free(cc2);

    /* Record types, numbers that are not numbers, times that are not times. */
    const struct {
        const char *type;
        uint32_t kind;
    } types[] = { { "CAL", PRIVNUM_RECORD_TYPE_CALL },
                  { "SMS", PRIVNUM_RECORD_TYPE_SMS },
                  { "cal", PRIVNUM_RECORD_TYPE_OTHER },
                  { "", 0 } };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        const privnum_param p2[4] = { { LIT("callNo"), LIT("anonymous") },
                                      { LIT("secretNo"), LIT("17000000010") },
                                      { LIT("recordType"), U8(types[i].type),
                                        strlen(types[i].type) },
                                      { LIT("callTime"), LIT("2024-05-01 16:00") } };
        cc = NULL;
        T_RESULT(&c, privnum_call_control_parse(p2, 4, &cc), PRIVNUM_RESULT_OK);
        memset(&q, T_SENTINEL, sizeof q);
        T_RESULT(&c, privnum_call_control_get(cc, &q), PRIVNUM_RESULT_OK);
        T_CHECK(&c, q.record_type_kind == types[i].kind);
        if (types[i].kind == 0) {
            T_ABSENT(&c, q.record_type);
        } else {
            T_VIEW(&c, q.record_type, types[i].type);
        }
        T_VIEW(&c, q.call_no, "anonymous");
        T_CHECK(&c, !q.has_caller && q.caller.bits == 0);
        T_CHECK(&c, q.has_x);
        T_VIEW(&c, q.call_time, "2024-05-01 16:00");
        T_CHECK(&c, !q.has_call_time_utc8 && q.call_time_utc8 == 0);
        T_ABSENT(&c, q.call_id);
        T_ABSENT(&c, q.extension);
        privnum_call_control_free(cc);
    }

    /* callNo and secretNo are required, and empty is missing. */
    privnum_call_control *out = (privnum_call_control *)&out; /* sentinel */
    privnum_call_control *const sentinel = out;
    const privnum_param no_x[2] = { { LIT("callNo"), LIT("13800000021") },
                                    { LIT("secretNo"), U8(""), 0 } };
    T_RESULT(&c, privnum_call_control_parse(no_x, 2, &out), PRIVNUM_RESULT_PUSH_MISSING_FIELD);
    T_MESSAGE(&c, "secretNo");
    T_RESULT(&c, privnum_call_control_parse(no_x + 1, 1, &out),
             PRIVNUM_RESULT_PUSH_MISSING_FIELD);
    T_MESSAGE(&c, "callNo");
    T_RESULT(&c, privnum_call_control_parse(NULL, 0, &out), PRIVNUM_RESULT_PUSH_MISSING_FIELD);
    /* Not UTF-8. */
    const privnum_param bad[2] = { { LIT("callNo"), LIT("1") }, { LIT("secretNo"), BAD } };
    T_RESULT(&c, privnum_call_control_parse(bad, 2, &out), PRIVNUM_RESULT_INVALID_UTF8);
    T_MESSAGE(&c, "params[1].value");
    const privnum_param bad_name[1] = { { BAD, LIT("1") } };
    privnum_params_verifier *v = cc_verifier();
    T_RESULT(&c, privnum_call_control_receive(v, bad_name, 1, CC_NOW, &out),
             PRIVNUM_RESULT_INVALID_UTF8);
    T_MESSAGE(&c, "params[0].name");
    privnum_params_verifier_free(v);
    T_CHECK(&c, out == sentinel);
    t_end(&c);
}

static void test_call_control_receive(void)
{
    t_case c;
    t_begin(&c, "call-control-receive");
    privnum_params_verifier *v = cc_verifier();
    uint8_t sig[64];
    privnum_param ps[6] = { { LIT("callNo"), LIT("13800000021") },
                            { LIT("secretNo"), LIT("17000000010") },
                            { LIT("recordType"), LIT("CAL") },
                            { LIT("signatureNonce"), LIT("recv-1") },
                            { LIT("timestamp"), LIT("2024-05-01T08:00:00Z") } };
    size_t n = cc_sign(ps, 5, sig);
    privnum_call_control *cc = NULL;
    T_RESULT(&c, privnum_call_control_receive(v, ps, n, CC_NOW + 60, &cc), PRIVNUM_RESULT_OK);
    if (cc != NULL) {
        T_CHECK(&c, privnum_call_control_is_verified(cc));
        privnum_params_verified pv;
        T_RESULT(&c, privnum_call_control_verified(cc, &pv), PRIVNUM_RESULT_OK);
        T_CHECK(&c, pv.encoding == PRIVNUM_PARAMS_ENCODING_FORM && !pv.key_ampersand);
        T_CHECK(&c, pv.has_timestamp && pv.timestamp == CC_NOW);
        privnum_call_control_query q;
        T_RESULT(&c, privnum_call_control_get(cc, &q), PRIVNUM_RESULT_OK);
        T_CHECK(&c, q.record_type_kind == PRIVNUM_RECORD_TYPE_CALL);
        T_VIEW(&c, q.record_type, "CAL");
        T_VIEW(&c, q.secret_no, "17000000010");
        T_ABSENT(&c, q.call_time);
        T_CHECK(&c, !q.has_call_time_utc8 && q.call_time_utc8 == 0);
        privnum_call_control_free(cc);
    }
    /* The nonce is remembered. */
    privnum_call_control *out = (privnum_call_control *)&out; /* sentinel */
    privnum_call_control *const sentinel = out;
    T_RESULT(&c, privnum_call_control_receive(v, ps, n, CC_NOW + 61, &out),
             PRIVNUM_RESULT_AUTH_REPLAYED);
    /* A changed value breaks the signature; a late query is stale. */
    privnum_param tampered[6];
    memcpy(tampered, ps, sizeof ps);
    tampered[1] = (privnum_param){ LIT("secretNo"), LIT("17000000011") };
    T_RESULT(&c, privnum_call_control_receive(v, tampered, n, CC_NOW, &out),
             PRIVNUM_RESULT_AUTH_BAD_DIGEST);
    ps[3] = (privnum_param){ LIT("signatureNonce"), LIT("recv-2") };
    n = cc_sign(ps, 5, sig);
    T_RESULT(&c, privnum_call_control_receive(v, ps, n, CC_NOW + 86400, &out),
             PRIVNUM_RESULT_AUTH_STALE);
    T_RESULT(&c, privnum_call_control_receive(v, ps, n - 1, CC_NOW, &out),
             PRIVNUM_RESULT_AUTH_MISSING);
    T_CHECK(&c, out == sentinel);
    /* Correctly signed but without callNo: refused, and its nonce released,
     * so that the same query is refused the same way again (not as a replay). */
    privnum_param no_caller[5] = { { LIT("secretNo"), LIT("17000000010") },
                                   { LIT("signatureNonce"), LIT("recv-3") },
                                   { LIT("timestamp"), LIT("2024-05-01T08:00:00Z") } };
    uint8_t sig2[64];
    size_t m = cc_sign(no_caller, 3, sig2);
    for (int i = 0; i < 2; i++) {
        T_RESULT(&c, privnum_call_control_receive(v, no_caller, m, CC_NOW, &out),
                 PRIVNUM_RESULT_PUSH_MISSING_FIELD);
        T_MESSAGE(&c, "callNo");
    }
    T_CHECK(&c, out == sentinel);
    /* Processing a verified query failed: forget its nonce to accept it again. */
    T_RESULT(&c, privnum_call_control_receive(v, ps, n, CC_NOW, &out), PRIVNUM_RESULT_OK);
    if (out != sentinel) {
        privnum_call_control_free(out);
        out = sentinel;
    }
    T_RESULT(&c, privnum_params_verifier_forget(v, LIT("recv-2")), PRIVNUM_RESULT_OK);
    T_RESULT(&c, privnum_call_control_receive(v, ps, n, CC_NOW, &out), PRIVNUM_RESULT_OK);
    if (out != sentinel) {
        privnum_call_control_free(out);
    }
    privnum_params_verifier_free(v);
    t_end(&c);
}

int main(void)
{
    test_null_parameters();
    test_null_with_zero_length();
    test_insufficient_size();
    test_views_live_until_free();
    test_wrong_kind_and_range();
    test_invalid_utf8();
    test_unknown_values();
    test_reply_options();
    test_inbox_config_and_limits();
    test_inbox_signatures();
    test_inbox_threads();
    test_call_control_null_parameters();
    test_call_control_parse();
    test_call_control_receive();
    return t_summary();
}
