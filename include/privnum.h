/*
 * privnum.h: the C API of privnum, an embeddable engine for privacy-number
 * (number masking) telephony: phone numbers, request signing and
 * verification, callbacks (the pushes the platform sends, their
 * de-duplication, the meaning of their codes, Block-mode replies, SMS
 * segments) and the binding engine (privnum_engine: the bindings of one
 * application in one mode, AX, AXB, AXE, AXYB or X, with their state
 * machine, the platform's binding rules, X choice from a pool, call routing
 * and optionally durable state), and the platform API client, sans-IO
 * (privnum_op: every operation by name from JSON arguments, validated and
 * signed into a privnum_request the host sends with its own HTTP stack; the
 * answer read into JSON or a typed error) and blocking (privnum_client: sends
 * an operation with safe retries over privnum's HTTPS transport or the host's
 * own, a privnum_transport_fn callback), a client and an engine kept in step
 * (privnum_mirror: binds, modifications and unbinds recorded in the engine
 * before they are sent and settled by the answer; reconciling the engine
 * with the platform's queries), and the platform emulator for tests
 * (privnum_emulator: the platform's API and pushes on 127.0.0.1). Link
 * libprivnum.a (plus -lpthread -ldl -lm) or libprivnum.so.
 *
 * CONVENTIONS (they hold for every function unless its comment says otherwise)
 *
 * Results. Fallible functions return privnum_result (a uint32_t):
 *   PRIVNUM_RESULT_OK (0) on success, else one of the PRIVNUM_RESULT_* codes.
 *   privnum_result_str() and privnum_result_name() describe any code.
 *
 * Last error. Every failing call also stores a specific English message in a
 *   thread-local slot of the calling thread; read it with
 *   privnum_last_error_message() on the same thread, right after the failure.
 *   Successful calls leave it unchanged. Messages never contain secrets.
 *   Engine and client errors may also carry the platform's resultcode (e.g.
 *   "1012010"), the request field at fault (e.g. "calleeNum") and, for the
 *   platform's answers, the HTTP status, stored with the message:
 *   privnum_last_error_platform_code() and privnum_last_error_field() copy
 *   them out as text, privnum_last_error_http_status() as a number; each
 *   returns PRIVNUM_RESULT_INVALID_ARGUMENT when the last error has none.
 *   Each failure replaces all of them, so a code, field or status never
 *   outlives the error it belongs to. The accessors never change the last
 *   error.
 *   privnum_engine_execute() answers a refused command inside its JSON
 *   answer (with its platform_code and field) and returns PRIVNUM_RESULT_OK.
 *
 * Input text is (const uint8_t *ptr, size_t len): UTF-8, not NUL-terminated,
 *   any length. NULL with len == 0 is the empty string; NULL with len > 0 is
 *   PRIVNUM_RESULT_NULL_PARAMETER; bytes that are not UTF-8 are
 *   PRIVNUM_RESULT_INVALID_UTF8. Arrays (headers, params) follow the same rule
 *   with their element count. Inputs are only read during the call.
 *
 * Output text is (uint8_t *buf, size_t buf_len, size_t *out_n): the text is
 *   written to buf WITHOUT a NUL terminator and its length to *out_n. If it
 *   does not fit, the call returns PRIVNUM_RESULT_INSUFFICIENT_SIZE, leaves buf
 *   untouched and writes the needed length to *out_n: call again with a buffer
 *   that large. buf may be NULL when buf_len is 0, to ask for the size.
 *
 * Out-parameters (T *out) must not be NULL (PRIVNUM_RESULT_NULL_PARAMETER) and
 *   are written ONLY when the call returns PRIVNUM_RESULT_OK; the single
 *   exception is *out_n on PRIVNUM_RESULT_INSUFFICIENT_SIZE, described above.
 *
 * Enum-like arguments (schemes, fields, profiles, encodings, forms,
 *   operations) are uint32_t values of the matching #defines; unknown values
 *   give PRIVNUM_RESULT_INVALID_ARGUMENT. Code lookups (fail reasons, Q.850
 *   causes, result codes, statuses) are not errors for unknown codes: they
 *   return NULL descriptions and an "unknown"/"other" class.
 *
 * Handles (privnum_signer, privnum_verifier, privnum_params_verifier,
 *   privnum_inbox, privnum_push, privnum_received, privnum_call_control,
 *   privnum_engine, privnum_op, privnum_request, privnum_client,
 *   privnum_mirror, privnum_emulator) are opaque and reference counted. A *_new (or *_parse,
 *   *_receive, *_open) function gives the caller one reference, *_clone
 *   another one to the same object; release each with *_free exactly once
 *   (*_free(NULL) does nothing). All handles are thread-safe: any number of
 *   threads may use the same handle at once (a signer, a push, a
 *   call-control query, an operation, a request and a client are immutable;
 *   the verifiers and the inbox lock their state internally; the engine
 *   routes under a shared read lock and serializes its changes, never making
 *   routing wait for a journal write; a mirror sends through its immutable
 *   client and changes its engine, which it shares with the caller's engine
 *   handles; the emulator serves on its own threads), and a handle may be
 *   freed on any thread once no call is using it. privnum_client_call,
 *   privnum_mirror_call, privnum_mirror_reconcile, privnum_mirror_tick and
 *   privnum_emulator_wait_idle block the calling thread (network I/O,
 *   retries' back-off); releasing an emulator's last
 *   handle blocks until its threads have stopped.
 *
 * Held answers. privnum_engine_execute, privnum_client_call,
 *   privnum_mirror_call, privnum_mirror_reconcile and
 *   privnum_emulator_control run something that must not run twice (a bind);
 *   when their answer does not fit the buffer they return
 *   PRIVNUM_RESULT_INSUFFICIENT_SIZE having run ONCE, and hold the answer on
 *   the calling thread until it is fetched (their *_take_answer function, or
 *   the identical call repeated with a big enough buffer).
 *
 * Pushes and views. privnum_push_parse and privnum_inbox_receive COPY the
 *   body into the handle they create (the caller's buffer may be reused at
 *   once); the handle owns it and everything parsed from it. Accessors
 *   (privnum_push_cdr, privnum_push_call, ...) fill caller-provided structs
 *   whose privnum_str fields are VIEWS into the push: UTF-8, NOT
 *   NUL-terminated, never to be freed or written, and valid until the push
 *   object is freed, i.e. until its last handle is released: privnum_push_free
 *   for a parsed push; for the push of a privnum_received (from
 *   privnum_received_push, which must NOT be passed to privnum_push_free),
 *   privnum_received_free, unless privnum_push_clone took a handle of its
 *   own. Copy what must outlive the push. Call-control queries work the same
 *   way: privnum_call_control_receive and privnum_call_control_parse COPY the
 *   parameters into the handle they create, and the views filled by
 *   privnum_call_control_get are valid until the query is freed (its last
 *   handle released with privnum_call_control_free). So are the views of a
 *   signed request (privnum_request_get, privnum_request_header), until its
 *   last handle is released with privnum_request_free. Nothing is ever
 *   allocated that the caller frees other than through a *_free function.
 *
 * Absent and empty. A view { NULL, 0 } is ABSENT: the field was not in the
 *   push (or was JSON null; in a call-control query, the parameter was
 *   missing or empty); non-NULL data with len 0 is PRESENT BUT EMPTY (""),
 *   and its data may be read for 0 bytes. Optional numbers and times come
 *   with a bool has_<field>; when it is false the value is 0. In the reply
 *   option structs, a privnum_str input { NULL, 0 } leaves the field unset
 *   and non-NULL data sets it (each field says what empty means).
 *
 * Static strings returned as const char * (names, descriptions, the version)
 *   are NUL-terminated, live for the whole process and must not be freed;
 *   functions that look up a name return NULL for unknown values.
 *
 * Panics inside the library never cross into C: the call returns
 *   PRIVNUM_RESULT_PANIC (functions that return a value return their
 *   documented default) and the last error says what happened.
 */

#ifndef PRIVNUM_H
#define PRIVNUM_H

/*
 * Generated by cbindgen from the privnum-ffi crate (ffi/src). Do not edit:
 * change the Rust sources and regenerate with
 *   cbindgen --config ffi/cbindgen.toml --crate privnum-ffi --output include/privnum.h ffi
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/**
 * The major version of this privnum build (`privnum_version` gives the whole).
 */
#define PRIVNUM_VERSION_MAJOR 0

/**
 * The minor version of this privnum build.
 */
#define PRIVNUM_VERSION_MINOR 1

/**
 * The patch version of this privnum build.
 */
#define PRIVNUM_VERSION_PATCH 0

/**
 * Category: answered and ended normally (code 0), or ended deliberately.
 */
#define PRIVNUM_FAIL_CATEGORY_NORMAL 1

/**
 * Category: the caller hung up (before or during ringing, or before transfer).
 */
#define PRIVNUM_FAIL_CATEGORY_CALLER_HUNG_UP 2

/**
 * Category: the callee hung up or rejected the call.
 */
#define PRIVNUM_FAIL_CATEGORY_CALLEE_HUNG_UP 3

/**
 * Category: the callee could not be reached (busy, no answer, off, no such
 * number, suspended, ringing timeout).
 */
#define PRIVNUM_FAIL_CATEGORY_CALLEE_UNAVAILABLE 4

/**
 * Category: no binding matched the call.
 */
#define PRIVNUM_FAIL_CATEGORY_NO_BINDING 5

/**
 * Category: a policy blocked the call (direction, blacklist, frequency,
 * time window, carrier, real-name rules, frozen account).
 */
#define PRIVNUM_FAIL_CATEGORY_RESTRICTED 6

/**
 * Category: the platform or the application's setup failed the call.
 */
#define PRIVNUM_FAIL_CATEGORY_PLATFORM 7

/**
 * Category: the maximum call duration was reached.
 */
#define PRIVNUM_FAIL_CATEGORY_MAX_DURATION 8

/**
 * Category: a code privnum does not know.
 */
#define PRIVNUM_FAIL_CATEGORY_UNKNOWN 9

/**
 * Party: none, or not said by the code (`hung_up_by` of most codes).
 */
#define PRIVNUM_PARTY_NONE 0

/**
 * Party: the calling party.
 */
#define PRIVNUM_PARTY_CALLER 1

/**
 * Party: the called party.
 */
#define PRIVNUM_PARTY_CALLEE 2

/**
 * Party: the platform itself (e.g. maximum duration reached).
 */
#define PRIVNUM_PARTY_PLATFORM 3

/**
 * Action: the request succeeded.
 */
#define PRIVNUM_ACTION_SUCCESS 1

/**
 * Action: a transient platform error; retry a limited number of times with
 * backoff (`privnum_result_code_max_retries`). Do not blindly resend a
 * non-idempotent request (bind) after a timeout: query first.
 */
#define PRIVNUM_ACTION_RETRY 2

/**
 * Action: throttled; wait at least `PRIVNUM_BACK_OFF_SECS`, then retry.
 */
#define PRIVNUM_ACTION_BACK_OFF 3

/**
 * Action: the request itself is wrong (parameter, format, URI): fix it.
 */
#define PRIVNUM_ACTION_FIX_INPUT 4

/**
 * Action: the credentials or the authentication header are wrong.
 */
#define PRIVNUM_ACTION_FIX_AUTH 5

/**
 * Action: `Created` is too far from the server's clock: fix the clock,
 * sign again, retry once.
 */
#define PRIVNUM_ACTION_FIX_CLOCK 6

/**
 * Action: the thing already exists or is already bound.
 */
#define PRIVNUM_ACTION_CONFLICT 7

/**
 * Action: the binding, record, number or session does not exist.
 */
#define PRIVNUM_ACTION_NOT_FOUND 8

/**
 * Action: no idle resource or a quantity limit was reached.
 */
#define PRIVNUM_ACTION_EXHAUSTED 9

/**
 * Action: the account, application, number or caller is not allowed now.
 */
#define PRIVNUM_ACTION_FORBIDDEN 10

/**
 * Action: a code privnum does not know: treat as a failure, do not retry.
 */
#define PRIVNUM_ACTION_UNKNOWN 11

/**
 * The minimum wait, in seconds, before retrying after `PRIVNUM_ACTION_BACK_OFF`.
 */
#define PRIVNUM_BACK_OFF_SECS 60

/**
 * X-number status `"5"`: the number works normally.
 */
#define PRIVNUM_NUMBER_STATUS_NORMAL 5

/**
 * X-number status `"9"`: paused; binding, calls and SMS all fail.
 */
#define PRIVNUM_NUMBER_STATUS_PAUSED 9

/**
 * X-number status `"10"`: unavailable; binding, calls and SMS all fail
 * (`cause` says why).
 */
#define PRIVNUM_NUMBER_STATUS_UNAVAILABLE 10

/**
 * X-number status `"11"`: bind-frozen; no new bindings, existing ones work.
 */
#define PRIVNUM_NUMBER_STATUS_BIND_FROZEN 11

/**
 * Unavailable cause `"1"`: the number was deleted.
 */
#define PRIVNUM_UNAVAILABLE_CAUSE_NUMBER_DELETED 1

/**
 * Unavailable cause `"2"`: the account is in arrears.
 */
#define PRIVNUM_UNAVAILABLE_CAUSE_ARREARS 2

/**
 * Unavailable cause `"3"`: the number is suspended.
 */
#define PRIVNUM_UNAVAILABLE_CAUSE_SUSPENDED 3

/**
 * Unavailable cause `"5"`: the carrier restricted calls.
 */
#define PRIVNUM_UNAVAILABLE_CAUSE_CARRIER_RESTRICTION 5

/**
 * Unavailable cause `"6"`: a restriction was lifted.
 */
#define PRIVNUM_UNAVAILABLE_CAUSE_RESTRICTION_LIFTED 6

/**
 * Unavailable cause `"7"`: unconditional call forwarding is enabled on X.
 */
#define PRIVNUM_UNAVAILABLE_CAUSE_FORWARD_UNCONDITIONAL 7

/**
 * Unavailable cause `"8"`: call forwarding on no answer is enabled on X.
 */
#define PRIVNUM_UNAVAILABLE_CAUSE_FORWARD_NO_ANSWER 8

/**
 * Unavailable cause `"9"`: call forwarding on busy is enabled on X.
 */
#define PRIVNUM_UNAVAILABLE_CAUSE_FORWARD_BUSY 9

/**
 * `default_country` value for `privnum_number_parse`: no default country, so
 * national numbers (without `+` or `00`) are rejected with
 * `PRIVNUM_RESULT_NUMBER_MISSING_COUNTRY_CODE`.
 */
#define PRIVNUM_COUNTRY_NONE 0

/**
 * The default country calling code of `privnum_number_parse_default`:
 * mainland China.
 */
#define PRIVNUM_DEFAULT_COUNTRY_CODE 86

/**
 * Class: a mainland-China mobile number of a network operator (13x-19x).
 */
#define PRIVNUM_NUMBER_CLASS_MOBILE 1

/**
 * Class: a mainland-China mobile number in a virtual-operator range (162,
 * 165, 167, 170, 171), where privacy numbers (X) usually come from.
 */
#define PRIVNUM_NUMBER_CLASS_VIRTUAL_OPERATOR 2

/**
 * Class: a mainland-China fixed line (area code plus local number). It can
 * be called through X but cannot call X.
 */
#define PRIVNUM_NUMBER_CLASS_FIXED_LINE 3

/**
 * Class: a mainland-China service number (400/800, 95xxx, 96xxx, 10xxx,
 * 12xxx, emergency 11x). It can never be bound.
 */
#define PRIVNUM_NUMBER_CLASS_SERVICE 4

/**
 * Class: a number of another country; not classified further.
 */
#define PRIVNUM_NUMBER_CLASS_INTERNATIONAL 5

/**
 * Field: AXB bind/modify `callerNum` (A): String(4-31).
 */
#define PRIVNUM_FIELD_AXB_CALLER_NUM 1

/**
 * Field: AXB bind/modify `calleeNum` (B): String(4-31).
 */
#define PRIVNUM_FIELD_AXB_CALLEE_NUM 2

/**
 * Field: AXB `relationNum` (X): String(4-31).
 */
#define PRIVNUM_FIELD_AXB_RELATION_NUM 3

/**
 * Field: AXB query `callerNum` / `calleeNum` filters: String(4-128).
 */
#define PRIVNUM_FIELD_AXB_QUERY_PARTY_NUM 4

/**
 * Field: AX `origNum` (A): String(1-32).
 */
#define PRIVNUM_FIELD_AX_ORIG_NUM 5

/**
 * Field: AX `privateNum` (X): String(1-32).
 */
#define PRIVNUM_FIELD_AX_PRIVATE_NUM 6

/**
 * Field: AX temporary callee `origNum`: String(4-31).
 */
#define PRIVNUM_FIELD_AX_TEMP_CALLEE_ORIG_NUM 7

/**
 * Field: AXE `bindNum` (A): String(1-32).
 */
#define PRIVNUM_FIELD_AXE_BIND_NUM 8

/**
 * Field: AXE `virtualNum` (X): String(1-32).
 */
#define PRIVNUM_FIELD_AXE_VIRTUAL_NUM 9

/**
 * Field: AXE `callbackNum`: String(1-32).
 */
#define PRIVNUM_FIELD_AXE_CALLBACK_NUM 10

/**
 * Field: AXE `extendNum`: String(1-4).
 */
#define PRIVNUM_FIELD_AXE_EXTEND_NUM 11

/**
 * Field: AXYB `origNum` (A for AX bind, B for YB bind): String(1-32).
 */
#define PRIVNUM_FIELD_AXYB_ORIG_NUM 12

/**
 * Field: AXYB `app_key` query parameter: String(1-128).
 */
#define PRIVNUM_FIELD_AXYB_APP_KEY 13

/**
 * Field: X-mode reply `connectInfo.calleeNum`: String(4-31).
 */
#define PRIVNUM_FIELD_X_CALLEE_NUM 14

/**
 * Field: X-mode reply `connectInfo.displayCalleeNum`: String(4-31).
 */
#define PRIVNUM_FIELD_X_DISPLAY_CALLEE_NUM 15

/**
 * Field: SMS Block reply `message.called` / `message.calling`: String(1-64).
 */
#define PRIVNUM_FIELD_SMS_MESSAGE_NUM 16

/**
 * Field: VoiceCall `displayNbr`: String(4-31).
 */
#define PRIVNUM_FIELD_VOICE_DISPLAY_NBR 17

/**
 * Field: VoiceCall `calleeNbr`: String(4-31).
 */
#define PRIVNUM_FIELD_VOICE_CALLEE_NBR 18

/**
 * Field: VoiceCall `verifyCode`: String(2-8).
 */
#define PRIVNUM_FIELD_VOICE_VERIFY_CODE 19

/**
 * Field: `subscriptionId` of every mode: String(1-64).
 */
#define PRIVNUM_FIELD_SUBSCRIPTION_ID 20

/**
 * Field: `userData`: String(1-256).
 */
#define PRIVNUM_FIELD_USER_DATA 21

/**
 * Field: `sessionId` (call-leg id, and call stop's `sessionid`): String(1-256).
 */
#define PRIVNUM_FIELD_SESSION_ID 22

/**
 * Field: audio file names (`recordHintTone`, `callbackTone`, `preTone`, ...): String(1-128).
 */
#define PRIVNUM_FIELD_TONE_FILE 23

/**
 * Field: recording download `fileName`: String(1-128).
 */
#define PRIVNUM_FIELD_RECORD_FILE_NAME 24

/**
 * Field: recording download `recordDomain`: String(1-128).
 */
#define PRIVNUM_FIELD_RECORD_DOMAIN 25

/**
 * Field: `areaCode` of AXB bind: String(0-32).
 */
#define PRIVNUM_FIELD_AREA_CODE 26

/**
 * Field: X-AKSK / X-WSSE `Nonce`: 1-128 characters.
 */
#define PRIVNUM_FIELD_NONCE 27

/**
 * Profile: Alibaba RPC signature v1 for GET requests (RFC 3986 encoding,
 * `GET&%2F&` prefix, key `secret&`; parameters `Signature`, `Timestamp`,
 * `SignatureNonce`). Verification is strict.
 */
#define PRIVNUM_PARAMS_PROFILE_RPC_V1_GET 1

/**
 * Profile: Alibaba RPC signature v1 for POST requests (as
 * `PRIVNUM_PARAMS_PROFILE_RPC_V1_GET` with a `POST&%2F&` prefix).
 */
#define PRIVNUM_PARAMS_PROFILE_RPC_V1_POST 2

/**
 * Profile: the X-mode call-control query as documented (no prefix, form
 * encoding, key as issued, empty values skipped; parameters `signature`,
 * `timestamp`, `signatureNonce`). Verification is tolerant: it also accepts
 * the other encoding and key readings and reports the one that matched.
 */
#define PRIVNUM_PARAMS_PROFILE_CALL_CONTROL 3

/**
 * Encoding: RFC 3986 (`A-Z a-z 0-9 - _ . ~` kept, space as `%20`).
 */
#define PRIVNUM_PARAMS_ENCODING_RFC3986 1

/**
 * Encoding: HTML form, as Java's `URLEncoder` (`A-Z a-z 0-9 - _ . *` kept,
 * space as `+`).
 */
#define PRIVNUM_PARAMS_ENCODING_FORM 2

/**
 * Push kind: a call event (`privnum_push_call`).
 */
#define PRIVNUM_PUSH_KIND_CALL 1

/**
 * Push kind: a batch of 1 to `PRIVNUM_MAX_CDRS` CDRs (`privnum_push_cdr`).
 */
#define PRIVNUM_PUSH_KIND_CDRS 2

/**
 * Push kind: an SMS notification (`privnum_push_sms`).
 */
#define PRIVNUM_PUSH_KIND_SMS 3

/**
 * Push kind: X-number status changes (`privnum_push_number_status`).
 */
#define PRIVNUM_PUSH_KIND_NUMBER_STATUS 4

/**
 * The most CDR records one push carries (more is `PRIVNUM_RESULT_PUSH_TOO_LARGE`).
 */
#define PRIVNUM_MAX_CDRS 50

/**
 * The most entries one X-number status push carries.
 */
#define PRIVNUM_MAX_NUMBER_STATUSES 100

/**
 * Call event: `callin`, the call reached X (in X mode with `notifyMode`
 * `Block`, a reply is due: see `needs_reply`).
 */
#define PRIVNUM_CALL_EVENT_CALL_IN 1

/**
 * Call event: `callout`, the platform started the outbound leg.
 */
#define PRIVNUM_CALL_EVENT_CALL_OUT 2

/**
 * Call event: `alerting`, the callee's phone is ringing.
 */
#define PRIVNUM_CALL_EVENT_ALERTING 3

/**
 * Call event: `answer`, the callee answered.
 */
#define PRIVNUM_CALL_EVENT_ANSWER 4

/**
 * Call event: `collectInfo`, digits were collected (`digit_info`).
 */
#define PRIVNUM_CALL_EVENT_COLLECT_INFO 5

/**
 * Call event: `disconnect`, the call ended (`state_code` says why).
 */
#define PRIVNUM_CALL_EVENT_DISCONNECT 6

/**
 * Call event: an `eventType` privnum does not know; `event_name` has it.
 */
#define PRIVNUM_CALL_EVENT_OTHER 7

/**
 * Info form: `"connectInfo":{...}` (the interface table's form; the default).
 */
#define PRIVNUM_INFO_FORM_OBJECT 1

/**
 * Info form: `"connectInfo":[{...}]` (the vendor demo code's form).
 */
#define PRIVNUM_INFO_FORM_ARRAY 2

/**
 * Call control: `CONTINUE`, connect the other side.
 */
#define PRIVNUM_CONTROL_OPERATE_CONTINUE 1

/**
 * Call control: `REJECT`, refuse the call.
 */
#define PRIVNUM_CONTROL_OPERATE_REJECT 2

/**
 * Call control: `IVR`, play the prompt `call_no_play_code` to the caller.
 */
#define PRIVNUM_CONTROL_OPERATE_IVR 3

/**
 * The largest `max_duration_minutes` the platform accepts (24 hours).
 */
#define PRIVNUM_MAX_DURATION_MINUTES 1440

/**
 * Encoding: the GSM 03.38 default alphabet, 7 bits per character (160
 * septets in one segment, 153 per segment when concatenated).
 */
#define PRIVNUM_SMS_ENCODING_GSM7 1

/**
 * Encoding: UCS-2 (in practice UTF-16; 70 code units in one segment, 67 per
 * segment when concatenated).
 */
#define PRIVNUM_SMS_ENCODING_UCS2 2

/**
 * AX suffix: the text ends with `@` and a number that can receive the SMS.
 */
#define PRIVNUM_AX_SUFFIX_VALID 1

/**
 * AX suffix: there is no `@` in the text.
 */
#define PRIVNUM_AX_SUFFIX_MISSING 2

/**
 * AX suffix: an `@` (or a full-width `＠`) is followed by something that is
 * not a number that can receive the SMS.
 */
#define PRIVNUM_AX_SUFFIX_GARBLED 3

/**
 * Scheme: `Authorization: AKSK ...` with `X-AKSK` (HMAC-SHA256), the current scheme.
 */
#define PRIVNUM_SCHEME_AKSK 1

/**
 * Scheme: `Authorization: WSSE ...` with `X-WSSE` (plain SHA-256), the legacy scheme.
 */
#define PRIVNUM_SCHEME_WSSE 2

/**
 * The length of a `Created` time (`yyyy-MM-ddTHH:mm:ssZ`), in bytes.
 */
#define PRIVNUM_CREATED_LEN 20

/**
 * The longest nonce accepted (1-128 ASCII letters and digits), in bytes.
 */
#define PRIVNUM_NONCE_MAX_LEN 128

/**
 * Record type: a voice call (`recordType` `CAL`).
 */
#define PRIVNUM_RECORD_TYPE_CALL 1

/**
 * Record type: an SMS (`recordType` `SMS`).
 */
#define PRIVNUM_RECORD_TYPE_SMS 2

/**
 * Record type: a value privnum does not know; `record_type` has it as sent.
 */
#define PRIVNUM_RECORD_TYPE_OTHER 3

/**
 * Mode: A owns X; anyone calling X reaches A (AX).
 */
#define PRIVNUM_MODE_AX 0

/**
 * Mode: A and B talk through X (AXB).
 */
#define PRIVNUM_MODE_AXB 1

/**
 * Mode: A is reached through X plus an extension (AXE).
 */
#define PRIVNUM_MODE_AXE 2

/**
 * Mode: A owns X, each B is bound to a Y under the AX binding (AXYB).
 */
#define PRIVNUM_MODE_AXYB 3

/**
 * Mode: the platform stores nothing and the application answers every call
 * (X mode); the engine holds pairs, owners and extensions of its own.
 */
#define PRIVNUM_MODE_X 4

/**
 * Close reason: the caller is a fixed line or service number (stateCode 8023).
 */
#define PRIVNUM_CLOSE_CALLER_CANNOT_CALL_X 0

/**
 * Close reason: no binding connects this caller through this number (stateCode 8014).
 */
#define PRIVNUM_CLOSE_NO_BINDING 1

/**
 * Close reason: the binding is requested but not yet confirmed by the
 * platform (stateCode 8014).
 */
#define PRIVNUM_CLOSE_NOT_YET_BOUND 2

/**
 * Close reason: the binding's lifetime is over (stateCode 8014).
 */
#define PRIVNUM_CLOSE_EXPIRED 3

/**
 * Close reason: the number is paused or unavailable (no stateCode).
 */
#define PRIVNUM_CLOSE_X_UNAVAILABLE 4

/**
 * Close reason: the binding's `callDirection` does not allow this direction
 * (no stateCode).
 */
#define PRIVNUM_CLOSE_DIRECTION_NOT_ALLOWED 5

/**
 * Close reason: AX, A called X without a temporary callee set (stateCode 8013).
 */
#define PRIVNUM_CLOSE_NO_TEMP_CALLEE 6

/**
 * Close reason: AXE, no extension was keyed in (stateCode 8033).
 */
#define PRIVNUM_CLOSE_EXTENSION_NEEDED 7

/**
 * Close reason: AXE, the extension is not bound on X (stateCode 8033).
 */
#define PRIVNUM_CLOSE_UNKNOWN_EXTENSION 8

/**
 * Close reason: AXE, A called X with no live callback record and no
 * callback number (no stateCode).
 */
#define PRIVNUM_CLOSE_NO_CALLBACK_TARGET 9

/**
 * Close reason: AXYB, the caller has no YB relation with X's owner (stateCode 8014).
 */
#define PRIVNUM_CLOSE_NO_RELATION 10

/**
 * `privnum_route.close_reason` of a route that connects: not a reason.
 */
#define PRIVNUM_CLOSE_NONE 4294967295

/**
 * The longest binding id (the platform's `subscriptionId` is 1-64
 * printable ASCII characters).
 */
#define PRIVNUM_BINDING_ID_MAX_LEN 64

/**
 * The size of `privnum_route.binding_id`: the longest id and its NUL.
 */
#define PRIVNUM_BINDING_ID_SIZE 65

/**
 * What a `privnum_transport_fn` returns: the request was sent and the
 * callback filled in the answer (any HTTP status, 4xx and 5xx included).
 */
#define PRIVNUM_TRANSPORT_ANSWERED 0

/**
 * What a `privnum_transport_fn` returns: the request CERTAINLY did not
 * reach the server (name resolution, connection refused, connect timeout,
 * TLS handshake failure). Any operation may be sent again.
 */
#define PRIVNUM_TRANSPORT_NOT_SENT 1

/**
 * What a `privnum_transport_fn` returns: the request MAY have reached the
 * server but no complete answer came back (read timeout, connection closed
 * or reset). When in doubt, return this: a bind wrongly called "not sent"
 * may bind twice. Any value other than the three `PRIVNUM_TRANSPORT_*` is
 * taken as this one.
 */
#define PRIVNUM_TRANSPORT_MAYBE_SENT 2

/**
 * A call-control query: a copy of its business parameters, and the result
 * of the signature check when it was received with
 * `privnum_call_control_receive`.
 *
 * Create with `privnum_call_control_receive` (verified) or
 * `privnum_call_control_parse` (not verified); read with
 * `privnum_call_control_get`; release with `privnum_call_control_free`.
 * Immutable and thread-safe; reference counted like the other handles.
 */
typedef struct privnum_call_control privnum_call_control;

/**
 * A blocking platform API client: base URL, signer, transport and retry
 * policy. Made by `privnum_client_new` or
 * `privnum_client_new_with_transport`, released with `privnum_client_free`.
 * Immutable and thread-safe: any number of threads may call through one
 * client at once (each call blocks its own thread).
 */
typedef struct privnum_client privnum_client;

/**
 * A running emulator: made by `privnum_emulator_start`, stopped when its
 * last handle is released with `privnum_emulator_free`. Thread-safe: any
 * number of threads may use one handle at once.
 */
typedef struct privnum_emulator privnum_emulator;

/**
 * A binding engine: the bindings of ONE application (one mode), the
 * platform's binding rules, call routing, and, when opened on a directory,
 * a journal that makes every acknowledged change survive a crash.
 *
 * Create with `privnum_engine_new` (in memory) or `privnum_engine_open`
 * (durable), release with `privnum_engine_free`.
 *
 * Thread-safe: every `privnum_engine_*` function may be called concurrently
 * from any number of threads on the same handle (`privnum_engine_free`
 * only once no call is using that handle, on any thread). Reads (routing,
 * lookups) share a read lock; changes are serialized among themselves, and
 * a change holds the engine's write lock only for its in-memory apply
 * (never while it is validated or written and fsynced to the journal), so
 * routing never waits for an fsync.
 */
typedef struct privnum_engine privnum_engine;

/**
 * The answer a `privnum_transport_fn` fills in with
 * `privnum_http_response_set_status`, `privnum_http_response_set_location`,
 * `privnum_http_response_append_body` and, for a failure,
 * `privnum_http_response_set_error`. Owned by privnum and valid only during
 * the callback; never keep the pointer.
 */
typedef struct privnum_http_response privnum_http_response;

/**
 * Receives the pushes of one application: checks the body size and (with
 * an app key and secret) the signature, parses, and marks each item new or
 * duplicate against what was committed before.
 *
 * Create with `privnum_inbox_new`, release with `privnum_inbox_free`.
 * Thread-safe: share one inbox between all the threads that serve the
 * application's push URL (its de-duplication set and replay cache are
 * locked internally).
 */
typedef struct privnum_inbox privnum_inbox;

/**
 * A client and the engine of its application, kept in step: every bind,
 * modification and unbind sent with `privnum_mirror_call` is recorded in
 * the engine BEFORE it is sent (write-ahead) and settled by the platform's
 * answer; `privnum_mirror_reconcile` compares the engine with the
 * platform's queries and can give the engine the platform's truth.
 *
 * Made by `privnum_mirror_new`, released with `privnum_mirror_free`. It
 * keeps its own references to the client and the engine (both may be
 * freed by the caller afterwards) and shares the engine, not a copy: the
 * caller keeps using its `privnum_engine` handle (routing, events,
 * commands) and sees every change the mirror records. Thread-safe: any
 * number of threads may call through one mirror at once, and use the
 * engine meanwhile; the calls block the calling thread (network I/O,
 * retries' back-off).
 */
typedef struct privnum_mirror privnum_mirror;

/**
 * One operation of the platform API (`"axb.bind"`, `"axb.query"`, …) with
 * its arguments, validated: made by `privnum_op_new`, released with
 * `privnum_op_free`. Immutable, so thread-safe; sign it as often as needed
 * (every attempt, retries included, needs a fresh signature).
 */
typedef struct privnum_op privnum_op;

/**
 * Verifies sorted-parameter signatures, with freshness and replay checks on
 * the timestamp and nonce parameters.
 *
 * Create with `privnum_params_verifier_new`, release with
 * `privnum_params_verifier_free`. Thread-safe: one verifier may be shared
 * by all threads (its replay cache is locked internally), or each thread
 * given its own handle with `privnum_params_verifier_clone`.
 */
typedef struct privnum_params_verifier privnum_params_verifier;

/**
 * A parsed push: owns a copy of the body and everything read from it.
 *
 * Create with `privnum_push_parse` (or get the push of a `privnum_received`
 * with `privnum_received_push`); release with `privnum_push_free`. Read it
 * with `privnum_push_kind` and the accessors of its kind. Immutable and
 * thread-safe; reference counted like the other handles.
 */
typedef struct privnum_push privnum_push;

/**
 * A received push: the parsed push, the signature check's result, and one
 * de-duplication item per CDR record (one for other pushes).
 *
 * Written by `privnum_inbox_receive`; release with `privnum_received_free`.
 * Immutable and thread-safe; reference counted like the other handles.
 */
typedef struct privnum_received privnum_received;

/**
 * A signed request ready to send (`privnum_op_sign`): its parts are views
 * (`privnum_request_get`, `privnum_request_header`) valid until the request
 * is released with `privnum_request_free`. Immutable, so thread-safe.
 */
typedef struct privnum_request privnum_request;

/**
 * Produces signed headers for one application.
 *
 * Create with `privnum_signer_new`, release with `privnum_signer_free`. A
 * signer is immutable and thread-safe: one handle may be used from any
 * number of threads at once.
 */
typedef struct privnum_signer privnum_signer;

/**
 * Verifies the signature headers of requests the platform sends to us.
 *
 * Create with `privnum_verifier_new`, release with `privnum_verifier_free`.
 * Thread-safe: share one verifier per application between all threads (its
 * replay cache is locked internally), or hand each thread its own handle to
 * it with `privnum_verifier_clone`.
 */
typedef struct privnum_verifier privnum_verifier;

/**
 * What every fallible function returns: `PRIVNUM_RESULT_OK` (0) on success,
 * otherwise one of the `PRIVNUM_RESULT_*` codes. The numbers are stable and
 * never reused; new codes may be added, so treat unknown non-zero values as
 * errors (`privnum_result_str` describes any value).
 */
typedef uint32_t privnum_result;

/**
 * Settings of a verifier (`privnum_verifier_new`, `privnum_params_verifier_new`).
 *
 * Start from `privnum_verifier_config_default` and change what you need.
 */
typedef struct privnum_verifier_config {
  /**
   * How far in the past `Created` may be, in seconds. Default 21600 (6 h).
   */
  uint32_t max_age_secs;
  /**
   * How far in the future `Created` may be (clock skew), in seconds. Default 300.
   */
  uint32_t max_future_secs;
  /**
   * How many accepted nonces are remembered to detect replays. Default
   * 100000 (about 6 MB at most). Zero turns replay detection off.
   */
  size_t replay_capacity;
  /**
   * Whether the legacy X-WSSE header is accepted. Default true. Ignored by
   * `privnum_params_verifier_new`.
   */
  bool accept_wsse;
} privnum_verifier_config;

/**
 * Settings of an inbox (`privnum_inbox_new`). Start from
 * `privnum_inbox_config_default` and change what you need.
 */
typedef struct privnum_inbox_config {
  /**
   * The largest accepted body in bytes (larger is
   * `PRIVNUM_RESULT_PUSH_TOO_LARGE`, and is not copied). Default 1 MiB.
   */
  size_t max_body_bytes;
  /**
   * How long committed keys are remembered, in seconds. Default 21600
   * (6 h, covering the platform's redelivery schedule).
   */
  uint32_t dedup_window_secs;
  /**
   * How many committed keys are remembered at most (about 40 bytes
   * each); the oldest is dropped when full. Default 200000; 0 turns
   * de-duplication off.
   */
  size_t dedup_capacity;
  /**
   * The signature check, used when the inbox has an app key and secret.
   */
  struct privnum_verifier_config verifier;
} privnum_inbox_config;

/**
 * One HTTP header, as UTF-8 text: `name` (matched case-insensitively) and
 * `value`. A NULL pointer with a zero length is the empty string.
 */
typedef struct privnum_header {
  /**
   * The header name.
   */
  const uint8_t *name;
  /**
   * The length of `name` in bytes.
   */
  size_t name_len;
  /**
   * The header value.
   */
  const uint8_t *value;
  /**
   * The length of `value` in bytes.
   */
  size_t value_len;
} privnum_header;

/**
 * A view of UTF-8 text (`data`, `len` bytes), NOT NUL-terminated.
 *
 * As an OUTPUT (fields of `privnum_cdr`, `privnum_call_event`, ...) it
 * points into the push handle it was read from and stays valid until that
 * push is freed (see "Pushes and views" at the top of this header); never
 * free or write through it. `{ NULL, 0 }` means ABSENT: the field was not
 * in the push (or was JSON `null`). A non-NULL `data` with `len` 0 is a
 * field that is PRESENT BUT EMPTY (`""`).
 *
 * As an INPUT (fields of the reply option structs) `{ NULL, 0 }` means "not
 * set"; a non-NULL `data` sets the field, even with `len` 0 (what an empty
 * value means is said on each field); NULL with `len` > 0 is
 * `PRIVNUM_RESULT_NULL_PARAMETER`.
 */
typedef struct privnum_str {
  /**
   * The first byte, or NULL when absent.
   */
  const uint8_t *data;
  /**
   * The length in bytes (0 when absent).
   */
  size_t len;
} privnum_str;

/**
 * One de-duplication item of a received push (`privnum_received_item`).
 */
typedef struct privnum_item {
  /**
   * The item's de-duplication key (a view valid until the received push is
   * freed), absent when the item has none (it is then never a duplicate).
   */
  struct privnum_str key;
  /**
   * The item was committed before: a redelivery, skip it.
   */
  bool duplicate;
} privnum_item;

/**
 * A successfully verified request (written by `privnum_verifier_verify`).
 */
typedef struct privnum_verified {
  /**
   * The scheme that carried the signature: `PRIVNUM_SCHEME_AKSK` or
   * `PRIVNUM_SCHEME_WSSE`.
   */
  uint32_t scheme;
  /**
   * True when an X-WSSE digest used the non-vendor form (Base64 of the raw
   * SHA-256 bytes instead of its hex string).
   */
  bool wsse_raw_digest;
  /**
   * The request's `Created` time as Unix seconds.
   */
  int64_t created;
  /**
   * The length of `nonce` in bytes (1 to `PRIVNUM_NONCE_MAX_LEN`).
   */
  size_t nonce_len;
  /**
   * The request's nonce (ASCII letters and digits), not NUL-terminated;
   * the bytes after `nonce_len` are zero.
   */
  uint8_t nonce[PRIVNUM_NONCE_MAX_LEN];
} privnum_verified;

/**
 * A validated phone number, passed by value (8 bytes, no heap, nothing to
 * free).
 *
 * Obtain one from `privnum_number_parse`, `privnum_number_parse_default` or
 * `privnum_number_from_bits`. `bits` is an opaque packed form: stable within
 * a release, fine to store and compare (two numbers are equal when their
 * bits are), but do not build it by hand. Every function taking a
 * `privnum_number` re-checks the bits: functions returning a result code
 * fail with `PRIVNUM_RESULT_INVALID_ARGUMENT` for bits no parse produced;
 * getters return their documented default.
 */
typedef struct privnum_number {
  /**
   * The packed number.
   */
  uint64_t bits;
} privnum_number;

/**
 * One request parameter, as UTF-8 text (decoded, not percent-encoded). A
 * NULL pointer with a zero length is the empty string.
 */
typedef struct privnum_param {
  /**
   * The parameter name.
   */
  const uint8_t *name;
  /**
   * The length of `name` in bytes.
   */
  size_t name_len;
  /**
   * The parameter value.
   */
  const uint8_t *value;
  /**
   * The length of `value` in bytes.
   */
  size_t value_len;
} privnum_param;

/**
 * A successful sorted-parameter verification (written by
 * `privnum_params_verifier_verify`).
 */
typedef struct privnum_params_verified {
  /**
   * The encoding of the reading that matched (`PRIVNUM_PARAMS_ENCODING_*`);
   * differs from the profile's only for a tolerant profile.
   */
  uint32_t encoding;
  /**
   * Whether the matching reading appended `&` to the secret.
   */
  bool key_ampersand;
  /**
   * Whether the request carried a timestamp parameter.
   */
  bool has_timestamp;
  /**
   * The timestamp as Unix seconds when `has_timestamp`, otherwise 0.
   */
  int64_t timestamp;
} privnum_params_verified;

/**
 * One CDR of a CDR push (`feeLst[i]`), as read by `privnum_push_cdr`.
 *
 * Every field is optional on the wire. Text fields are views (see
 * `privnum_str`: `{ NULL, 0 }` when absent) valid until the push is freed;
 * numbers stay as sent (the platform does not promise valid numbers), with
 * `caller_number` / `destination_number` parsed when they are. Times are
 * Unix seconds (UTC), present when `has_<time>` is true (an empty time
 * string counts as absent); codes likewise with `has_<code>`. Absent values
 * are 0.
 */
typedef struct privnum_cdr {
  /**
   * `direction` is present.
   */
  bool has_direction;
  /**
   * Direction code (AXB: 0 = B→A, 1 = A→B; AX/AXE: 0 = to A, 1 = from A; 2 = abnormal).
   */
  uint32_t direction;
  /**
   * `spId`: the customer's cloud account name.
   */
  struct privnum_str sp_id;
  /**
   * `appKey`.
   */
  struct privnum_str app_key;
  /**
   * `icid`: the unique call-record id.
   */
  struct privnum_str icid;
  /**
   * `bindNum`: the privacy number X (in AXYB X or Y).
   */
  struct privnum_str bind_num;
  /**
   * `sessionId`: the call-leg id, as in the call events.
   */
  struct privnum_str session_id;
  /**
   * `subscriptionId`: the binding; empty when no binding matched (then expect 8014).
   */
  struct privnum_str subscription_id;
  /**
   * `callerNum`: the real caller dialling X.
   */
  struct privnum_str caller_num;
  /**
   * `calleeNum`: the first-leg callee (normally X).
   */
  struct privnum_str callee_num;
  /**
   * `fwdDisplayNum`: the number shown on the second leg.
   */
  struct privnum_str fwd_display_num;
  /**
   * `fwdDstNum`: the real destination of the second leg.
   */
  struct privnum_str fwd_dst_num;
  /**
   * `callInTime` is present.
   */
  bool has_call_in_time;
  /**
   * `callInTime`: first leg start.
   */
  int64_t call_in_time;
  /**
   * `fwdStartTime` is present.
   */
  bool has_fwd_start_time;
  /**
   * `fwdStartTime`: second leg start.
   */
  int64_t fwd_start_time;
  /**
   * `fwdAlertingTime` is present.
   */
  bool has_fwd_alerting_time;
  /**
   * `fwdAlertingTime`: second leg ringing.
   */
  int64_t fwd_alerting_time;
  /**
   * `fwdAnswerTime` is present.
   */
  bool has_fwd_answer_time;
  /**
   * `fwdAnswerTime`: second leg answered.
   */
  int64_t fwd_answer_time;
  /**
   * `callEndTime` is present.
   */
  bool has_call_end_time;
  /**
   * `callEndTime`: end of the call.
   */
  int64_t call_end_time;
  /**
   * `fwdUnaswRsn` is present.
   */
  bool has_fwd_unasw_rsn;
  /**
   * `fwdUnaswRsn`: Q.850 cause of a second-leg failure (`privnum_q850_description`).
   */
  uint32_t fwd_unasw_rsn;
  /**
   * `failTime` is present.
   */
  bool has_fail_time;
  /**
   * `failTime`: failure time.
   */
  int64_t fail_time;
  /**
   * `ulFailReason` is present.
   */
  bool has_ul_fail_reason;
  /**
   * `ulFailReason`: tear-down point, 0 = normal hang-up after answer
   * (`privnum_fail_reason_description` / `_category`).
   */
  uint32_t ul_fail_reason;
  /**
   * `sipStatusCode` is present.
   */
  bool has_sip_status_code;
  /**
   * `sipStatusCode`: SIP status of a failure.
   */
  uint32_t sip_status_code;
  /**
   * `callOutUnaswRsn` is present.
   */
  bool has_call_out_unasw_rsn;
  /**
   * `callOutUnaswRsn`: reserved Q.850 cause of an initiated leg.
   */
  uint32_t call_out_unasw_rsn;
  /**
   * `recordFlag` is present.
   */
  bool has_record_flag;
  /**
   * `recordFlag`: 1 when the call was recorded.
   */
  uint32_t record_flag;
  /**
   * `recordStartTime` is present.
   */
  bool has_record_start_time;
  /**
   * `recordStartTime`: recording start.
   */
  int64_t record_start_time;
  /**
   * `recordObjectName`: the recording's file name.
   */
  struct privnum_str record_object_name;
  /**
   * `recordBucketName`: the recording's storage directory.
   */
  struct privnum_str record_bucket_name;
  /**
   * `recordDomain`: the recording's storage domain.
   */
  struct privnum_str record_domain;
  /**
   * `serviceType`: business type code (e.g. `004`).
   */
  struct privnum_str service_type;
  /**
   * `hostName`: the host that produced the CDR.
   */
  struct privnum_str host_name;
  /**
   * `extendNum`: AXE extension.
   */
  struct privnum_str extend_num;
  /**
   * `userData` of the binding or reply.
   */
  struct privnum_str user_data;
  /**
   * `notifyMode` (X mode: `Block`).
   */
  struct privnum_str notify_mode;
  /**
   * Derived: the callee answered (`fwdAnswerTime` is present).
   */
  bool answered;
  /**
   * Derived: seconds of conversation (`callEndTime - fwdAnswerTime`, at
   * least 0); 0 when unanswered.
   */
  int64_t talk_seconds;
  /**
   * Derived: `ring_seconds` is known (needs `fwdAlertingTime` and an answer or end time).
   */
  bool has_ring_seconds;
  /**
   * Derived: seconds from ringing to answer (or to the end, when unanswered).
   */
  int64_t ring_seconds;
  /**
   * Derived: who ended the call, when `ulFailReason` says so: a
   * `PRIVNUM_PARTY_*` value, `PRIVNUM_PARTY_NONE` otherwise.
   */
  uint32_t hung_up_by;
  /**
   * Derived: the call failed (a non-normal `ulFailReason` or Q.850
   * cause); `privnum_push_cdr_failure` says why, in words.
   */
  bool has_failure;
  /**
   * Derived: a recording exists (`recordFlag` 1 with a file name and a
   * domain): `recording_file_name` and `recording_domain` are the
   * `fileName` and `recordDomain` of the recording download API.
   */
  bool has_recording;
  /**
   * Derived: the recording's `fileName` (absent without a recording).
   */
  struct privnum_str recording_file_name;
  /**
   * Derived: the recording's `recordDomain` (absent without a recording).
   */
  struct privnum_str recording_domain;
  /**
   * Derived: the de-duplication key: `icid`, else `sessionId`; absent
   * when both are absent or empty.
   */
  struct privnum_str key;
  /**
   * Derived: `caller_num` is a valid number.
   */
  bool has_caller_number;
  /**
   * Derived: `caller_num` parsed (default country +86); bits 0 when not.
   */
  struct privnum_number caller_number;
  /**
   * Derived: `fwd_dst_num` is a valid number.
   */
  bool has_destination_number;
  /**
   * Derived: `fwd_dst_num` parsed (default country +86); bits 0 when not.
   */
  struct privnum_number destination_number;
} privnum_cdr;

/**
 * A call event (`{"eventType": ..., "statusInfo": {...}}`), as read by
 * `privnum_push_call`. Which fields are present depends on the event and
 * the mode. Text fields are views valid until the push is freed.
 */
typedef struct privnum_call_event {
  /**
   * What happened: a `PRIVNUM_CALL_EVENT_*` value.
   */
  uint32_t event;
  /**
   * The `eventType` as sent (`"callin"`, `"disconnect"`, ...; always present).
   */
  struct privnum_str event_name;
  /**
   * The platform waits for a routing decision in the HTTP response (an
   * X-mode `callin` with `notifyMode` `Block`).
   */
  bool needs_reply;
  /**
   * `timestamp` is present.
   */
  bool has_timestamp;
  /**
   * `timestamp`: the event time, Unix seconds.
   */
  int64_t timestamp;
  /**
   * `sessionId`: the call-leg id, shared by the call's events and its CDR.
   */
  struct privnum_str session_id;
  /**
   * `caller`, as sent.
   */
  struct privnum_str caller;
  /**
   * `called`, as sent.
   */
  struct privnum_str called;
  /**
   * `subscriptionId`: the binding (absent for AXE callin and X mode).
   */
  struct privnum_str subscription_id;
  /**
   * `userData` of the binding or reply.
   */
  struct privnum_str user_data;
  /**
   * `notifyMode`: `Block` for an X-mode `callin` awaiting a reply.
   */
  struct privnum_str notify_mode;
  /**
   * `digitInfo`: the digits the caller keyed (`collectInfo`).
   */
  struct privnum_str digit_info;
  /**
   * `stateCode` is present.
   */
  bool has_state_code;
  /**
   * `stateCode`: why the call ended (`disconnect`); same codes as a CDR's `ulFailReason`.
   */
  uint32_t state_code;
  /**
   * `stateDesc`: the platform's text for `stateCode`.
   */
  struct privnum_str state_desc;
  /**
   * `callRelDirection` as raw JSON text (its values are undocumented).
   */
  struct privnum_str call_rel_direction;
  /**
   * `partyType` as raw JSON text (VoiceCall; values undocumented).
   */
  struct privnum_str party_type;
  /**
   * `displayCallerNum` (VoiceCall).
   */
  struct privnum_str display_caller_num;
  /**
   * `caller` is a valid number.
   */
  bool has_caller_number;
  /**
   * `caller` parsed (default country +86); bits 0 when not.
   */
  struct privnum_number caller_number;
  /**
   * `called` is a valid number.
   */
  bool has_called_number;
  /**
   * `called` parsed (default country +86); bits 0 when not.
   */
  struct privnum_number called_number;
} privnum_call_event;

/**
 * An SMS notification (`{"appKey": ..., "smsEvent": {...}}`), as read by
 * `privnum_push_sms`. Text fields are views valid until the push is freed.
 */
typedef struct privnum_sms_event {
  /**
   * `appKey` of the notification envelope.
   */
  struct privnum_str app_key;
  /**
   * `smsIdentifier`: the unique id (segments of a long SMS are merged).
   */
  struct privnum_str sms_identifier;
  /**
   * `notificationMode`: `Notify` or `Block`.
   */
  struct privnum_str notification_mode;
  /**
   * `calling`: the real sender.
   */
  struct privnum_str calling;
  /**
   * `called`: the real receiver (may be absent in Block mode).
   */
  struct privnum_str called;
  /**
   * `virtualNumber`: X.
   */
  struct privnum_str virtual_number;
  /**
   * `event`, e.g. `Text SMS` (spelled variously; compare loosely).
   */
  struct privnum_str event;
  /**
   * `timeStamp` is present.
   */
  bool has_time_stamp;
  /**
   * `timeStamp`: the event time, Unix seconds.
   */
  int64_t time_stamp;
  /**
   * `sendResult` is present.
   */
  bool has_send_result;
  /**
   * `sendResult`: 0 is success; other values are unconfirmed
   * (`privnum_send_result_description`).
   */
  uint32_t send_result;
  /**
   * `subscriptionId`: the binding.
   */
  struct privnum_str subscription_id;
  /**
   * `smsContent`: the text, when the platform was asked to push it.
   */
  struct privnum_str sms_content;
  /**
   * `userData` of the binding.
   */
  struct privnum_str user_data;
  /**
   * The number of `extInfo.extParas` pairs (`privnum_push_sms_ext_para`).
   */
  size_t ext_para_count;
  /**
   * `split_num` is present.
   */
  bool has_split_num;
  /**
   * `extParas` `splitNum`: how many segments were sent (the billing basis).
   */
  uint32_t split_num;
  /**
   * `direction` is present.
   */
  bool has_direction;
  /**
   * `extParas` `direction` (0 = another user to A; others undocumented).
   */
  uint32_t direction;
  /**
   * The platform waits for a forward/discard decision (Block mode).
   */
  bool needs_reply;
  /**
   * The de-duplication key (`smsIdentifier` plus the mode); absent
   * without an `smsIdentifier`.
   */
  struct privnum_str key;
} privnum_sms_event;

/**
 * One entry of an X-number status push, as read by
 * `privnum_push_number_status`.
 */
typedef struct privnum_number_status_entry {
  /**
   * The X number, as sent (a view valid until the push is freed; always present).
   */
  struct privnum_str number;
  /**
   * The new status, as its wire code: a `PRIVNUM_NUMBER_STATUS_*` value
   * or another (unknown) code.
   */
  uint32_t status;
  /**
   * `cause` is present (normally only with `PRIVNUM_NUMBER_STATUS_UNAVAILABLE`).
   */
  bool has_cause;
  /**
   * Why X is unavailable: a `PRIVNUM_UNAVAILABLE_CAUSE_*` value or another code.
   */
  uint32_t cause;
  /**
   * Existing bindings still carry calls and SMS (normal and bind-frozen numbers).
   */
  bool binding_usable;
  /**
   * New bindings on the number are allowed (only when normal).
   */
  bool new_bindings_allowed;
} privnum_number_status_entry;

/**
 * Settings of an X-mode `connect` reply (`privnum_reply_connect`).
 *
 * Zero-initialise it (`privnum_connect_options o = {0};`), then set
 * `callee` and what you need. Text fields are `privnum_str` inputs: `{ NULL,
 * 0 }` (and, for these optional fields, the empty string) leaves the field
 * out of the body.
 */
typedef struct privnum_connect_options {
  /**
   * `calleeNum`: the real callee (required; not a service number).
   */
  struct privnum_number callee;
  /**
   * Whether `display` is set.
   */
  bool has_display;
  /**
   * `displayCalleeNum`: the number the callee sees. Carrier rules require
   * the privacy number X of this call; leave it unset to let the platform
   * show X. Must not be the callee itself nor a service number.
   */
  struct privnum_number display;
  /**
   * Whether `max_duration_minutes` is set.
   */
  bool has_max_duration;
  /**
   * `maxDuration`: 0 (unlimited) to `PRIVNUM_MAX_DURATION_MINUTES`.
   */
  uint32_t max_duration_minutes;
  /**
   * `waitVoice`: the audio file the caller hears while the callee rings
   * (ASCII letters, digits, `_ - . @`; 1-128 characters).
   */
  struct privnum_str wait_voice;
  /**
   * `recordFlag`: record the call (written as `"true"` / `"false"`).
   */
  bool record;
  /**
   * `recordHintTone`: the audio file announcing the recording (needs `record`).
   */
  struct privnum_str record_hint_tone;
  /**
   * `lastMinVoice`: the audio file played one minute before the end
   * (needs a `max_duration_minutes` above 0).
   */
  struct privnum_str last_min_voice;
  /**
   * `userData`: printable ASCII without `{`, `}` and `^`, 1-256 characters
   * (Base64-encode other text); echoed in later events and the CDR.
   */
  struct privnum_str user_data;
  /**
   * How `connectInfo` is wrapped: a `PRIVNUM_INFO_FORM_*` value, or 0 for
   * the default, `PRIVNUM_INFO_FORM_OBJECT`.
   */
  uint32_t form;
} privnum_connect_options;

/**
 * Settings of an X-mode `close` reply (`privnum_reply_close`); zero-initialise
 * it and set what you need.
 */
typedef struct privnum_close_options {
  /**
   * `closeHintTone`: the audio file the caller hears before the call ends
   * (rules as `privnum_connect_options.wait_voice`).
   */
  struct privnum_str close_hint_tone;
  /**
   * `userData` (rules as `privnum_connect_options.user_data`).
   */
  struct privnum_str user_data;
  /**
   * How `closeInfo` is wrapped: a `PRIVNUM_INFO_FORM_*` value, or 0 for
   * the default, `PRIVNUM_INFO_FORM_OBJECT`.
   */
  uint32_t form;
} privnum_close_options;

/**
 * Settings of an X-mode call-control answer (`privnum_reply_call_control`).
 * Zero-initialise it, then set `operate` and what you need.
 */
typedef struct privnum_call_control_options {
  /**
   * `controlOperate`: a `PRIVNUM_CONTROL_OPERATE_*` value (required).
   */
  uint32_t operate;
  /**
   * The top-level `message`, always written: `{ NULL, 0 }` for `"OK"`;
   * any other value (even empty) is written as given.
   */
  struct privnum_str message;
  /**
   * `controlMsg`, e.g. `NO_SUBS_EXIST`; left out when unset or empty.
   */
  struct privnum_str control_msg;
  /**
   * `subsId`, always written: `{ NULL, 0 }` for `"0"` (no binding);
   * otherwise 1-64 ASCII digits (an empty value is
   * `PRIVNUM_RESULT_REPLY_INVALID`).
   */
  struct privnum_str subs_id;
  /**
   * `callNoPlayCode`: the prompt played to the caller (required with
   * `PRIVNUM_CONTROL_OPERATE_IVR`); left out when unset or empty.
   */
  struct privnum_str call_no_play_code;
  /**
   * Extra `model` string fields (UNCONFIRMED by the vendor documentation),
   * written after the known ones in this order; an empty value leaves its
   * field out. Names: 1-64 ASCII letters, digits and `_`, no repeats, none
   * of the fields above. NULL only with `n_extra == 0`.
   */
  const struct privnum_param *extra;
  /**
   * The number of elements of `extra`.
   */
  size_t n_extra;
} privnum_call_control_options;

/**
 * How a text is sent (written by `privnum_sms_segments`).
 */
typedef struct privnum_segment_count {
  /**
   * The encoding: `PRIVNUM_SMS_ENCODING_GSM7` or `PRIVNUM_SMS_ENCODING_UCS2`.
   */
  uint32_t encoding;
  /**
   * The number of segments (billed messages); at least 1.
   */
  uint32_t segments;
  /**
   * The size of the text: septets for GSM-7 (extension characters count
   * 2), UTF-16 code units for UCS-2 (characters outside the BMP count 2).
   */
  uint32_t units;
  /**
   * The capacity of a segment of this message: 160 (GSM-7) or 70 (UCS-2)
   * for a single segment, 153 or 67 when concatenated.
   */
  uint32_t per_segment;
  /**
   * Units still free in the last segment.
   */
  uint32_t remaining;
} privnum_segment_count;

/**
 * What the end of an AX-mode SMS from A says about its real receiver
 * (written by `privnum_sms_ax_suffix`). The views point into the caller's
 * `text` and are valid as long as that buffer is.
 */
typedef struct privnum_ax_suffix {
  /**
   * `PRIVNUM_AX_SUFFIX_VALID`, `_MISSING` or `_GARBLED`.
   */
  uint32_t result;
  /**
   * B, when `result` is VALID (otherwise zero bits).
   */
  struct privnum_number receiver;
  /**
   * The message before the `@` (what B receives), when VALID; else absent.
   */
  struct privnum_str text;
  /**
   * What follows the last `@`, when GARBLED; else absent.
   */
  struct privnum_str suffix;
} privnum_ax_suffix;

/**
 * The business parameters of a call-control query, as read by
 * `privnum_call_control_get`.
 *
 * Text fields are VIEWS into the `privnum_call_control` they were read
 * from: UTF-8, not NUL-terminated, never to be freed or written, and valid
 * until that query object is freed (its last handle released with
 * `privnum_call_control_free`). A parameter that is missing or has an empty
 * value is ABSENT (`{ NULL, 0 }`); `call_no` and `secret_no` are always
 * present and non-empty. Optional numbers and times come with a
 * `has_<field>`; when it is false the value is 0.
 */
typedef struct privnum_call_control_query {
  /**
   * `callNo`: the calling number, as sent.
   */
  struct privnum_str call_no;
  /**
   * `secretNo`: the privacy number X, as sent.
   */
  struct privnum_str secret_no;
  /**
   * `extension`: the digits the caller keyed, when asked for an extension.
   */
  struct privnum_str extension;
  /**
   * `callTime` as sent (normally `yyyyMMddHHmmss`; kept even when it is not).
   */
  struct privnum_str call_time;
  /**
   * `callId`: the call's id.
   */
  struct privnum_str call_id;
  /**
   * `recordType` as sent (`CAL`, `SMS`, or another value).
   */
  struct privnum_str record_type;
  /**
   * `recordType` as a `PRIVNUM_RECORD_TYPE_*` value; 0 when absent.
   */
  uint32_t record_type_kind;
  /**
   * `call_time_utc8` is known: `callTime` is present and a valid
   * `yyyyMMddHHmmss` time.
   */
  bool has_call_time_utc8;
  /**
   * `callTime` as Unix seconds, reading it as Beijing time (UTC+8; the
   * zone is not documented).
   */
  int64_t call_time_utc8;
  /**
   * `callNo` is a valid number.
   */
  bool has_caller;
  /**
   * `callNo` parsed (default country +86); bits 0 when not.
   */
  struct privnum_number caller;
  /**
   * `secretNo` is a valid number.
   */
  bool has_x;
  /**
   * `secretNo` parsed (default country +86); bits 0 when not.
   */
  struct privnum_number x;
} privnum_call_control_query;

/**
 * What `privnum_engine_open` found in the directory.
 */
typedef struct privnum_open_report {
  /**
   * Whether a snapshot was loaded.
   */
  bool snapshot_loaded;
  /**
   * Journal records replayed after the snapshot.
   */
  uint64_t records_replayed;
  /**
   * Bindings restored.
   */
  size_t bindings;
  /**
   * Whether a torn last record (a crash in the middle of writing a change
   * that was never acknowledged) was cut off; when false the two
   * `torn_tail_*` fields are 0.
   */
  bool has_torn_tail;
  /**
   * Byte offset in the journal file where the torn record started (the
   * file's new length).
   */
  uint64_t torn_tail_offset;
  /**
   * Bytes dropped from that offset to the old end of the file.
   */
  uint64_t torn_tail_bytes;
} privnum_open_report;

/**
 * The routing decision for one call (`privnum_engine_route`): a plain value,
 * nothing to free.
 *
 * When `connect` is true, bridge the call to `callee`, showing `display`;
 * `close_reason` is `PRIVNUM_CLOSE_NONE` and `state_code` 0. When it is
 * false, end the call: `close_reason` says why (`PRIVNUM_CLOSE_*`) and
 * `state_code` is the platform's hang-up `stateCode` for it (8013, 8014,
 * 8023, 8033) or 0 where the platform names none; `callee` and `display`
 * have bits 0, `max_duration_min` is 0 and `record` false.
 *
 * The tones and user data of the binding are not here; the `route`
 * command of `privnum_engine_execute` returns them.
 */
typedef struct privnum_route {
  /**
   * Whether to connect the call (else close it).
   */
  bool connect;
  /**
   * Whom to call.
   */
  struct privnum_number callee;
  /**
   * What the callee sees (X, or Y in AXYB).
   */
  struct privnum_number display;
  /**
   * Per-call cap in minutes (0 = none).
   */
  uint32_t max_duration_min;
  /**
   * Whether to record the call.
   */
  bool record;
  /**
   * Why the call is closed (`PRIVNUM_CLOSE_*`), `PRIVNUM_CLOSE_NONE` when
   * it connects.
   */
  uint32_t close_reason;
  /**
   * The platform's hang-up `stateCode` for a close, 0 when none.
   */
  uint32_t state_code;
  /**
   * Whether a binding decided the route (always for a connect; for a
   * close, when a binding was found but could not be used).
   */
  bool has_binding;
  /**
   * That binding's id, NUL-terminated (empty when `has_binding` is false).
   */
  char binding_id[PRIVNUM_BINDING_ID_SIZE];
} privnum_route;

/**
 * The parts of a signed request (`privnum_request_get`). Every `privnum_str`
 * is a view into the request, valid until it is freed.
 */
typedef struct privnum_request_parts {
  /**
   * The HTTP method: `GET`, `POST`, `PUT` or `DELETE`.
   */
  struct privnum_str method;
  /**
   * The path and the encoded query (`/rest/…/v1.0?relationNum=%2B86…`):
   * append it to the application's base URL (`privnum_request_url` does).
   */
  struct privnum_str path_and_query;
  /**
   * The JSON body, or `{ NULL, 0 }` when the request has none (GET,
   * DELETE).
   */
  struct privnum_str body;
  /**
   * How many headers `privnum_request_header` gives (3: `Content-Type`,
   * `Authorization`, `X-AKSK`).
   */
  size_t header_count;
} privnum_request_parts;

/**
 * Settings of a `privnum_client`. Fill one with
 * `privnum_client_config_default`, then change fields; or pass NULL to
 * `privnum_client_new` for the defaults.
 */
typedef struct privnum_client_config {
  /**
   * Longest time to resolve, connect and finish the TLS handshake, in
   * milliseconds (default 5000; at least 1). A timeout here is "not
   * sent". Ignored with a host transport.
   */
  uint32_t connect_timeout_ms;
  /**
   * Longest time without progress while sending or reading, in
   * milliseconds (default 10000; at least 1). Ignored with a host
   * transport.
   */
  uint32_t read_timeout_ms;
  /**
   * Longest time for one whole exchange, in milliseconds (default
   * 30000; at least 1). Ignored with a host transport.
   */
  uint32_t total_timeout_ms;
  /**
   * 1 accepts `http://` base URLs (a local test server such as the
   * emulator), 0 (the default) accepts only `https://`; other values are
   * `PRIVNUM_RESULT_INVALID_ARGUMENT`. Ignored with a host transport.
   */
  uint32_t allow_http;
  /**
   * Most times one operation is sent per call, the first included
   * (default 3; 0 counts as 1).
   */
  uint32_t max_attempts;
  /**
   * Wait before the first retry, in milliseconds (default 250); it
   * doubles for each further retry, up to `max_backoff_ms`.
   */
  uint32_t initial_backoff_ms;
  /**
   * Longest wait between two attempts, in milliseconds (default 5000).
   */
  uint32_t max_backoff_ms;
  /**
   * Wait after the platform throttled a request, in milliseconds
   * (default 60000: the platform asks for about a minute).
   */
  uint32_t throttle_backoff_ms;
  /**
   * How much of each wait is random, in percent (default 50; at most
   * 100).
   */
  uint32_t jitter_percent;
} privnum_client_config;

/**
 * One header of a request handed to a `privnum_transport_fn`: views valid
 * only during the callback.
 */
typedef struct privnum_http_header {
  /**
   * The header name (`Content-Type`, `Authorization`, `X-AKSK`).
   */
  struct privnum_str name;
  /**
   * The header value. The `X-AKSK` value is a credential: send it, never
   * log it.
   */
  struct privnum_str value;
} privnum_http_header;

/**
 * The request a `privnum_transport_fn` sends. Every view (and the
 * `headers` array) is valid only during the callback: copy what must
 * outlive it.
 */
typedef struct privnum_http_request {
  /**
   * `GET`, `POST`, `PUT` or `DELETE`.
   */
  struct privnum_str method;
  /**
   * The full URL: the client's base URL, the path and the encoded query.
   */
  struct privnum_str url;
  /**
   * The headers to send, in order (`header_count` of them).
   */
  const struct privnum_http_header *headers;
  /**
   * How many headers `headers` holds.
   */
  size_t header_count;
  /**
   * The JSON body, or `{ NULL, 0 }` when the request has none (GET,
   * DELETE).
   */
  struct privnum_str body;
} privnum_http_request;

/**
 * A host transport: sends ONE request once (no retries: the client
 * decides; no redirects followed: a 3xx is an answer with its `Location`)
 * and says what happened by returning `PRIVNUM_TRANSPORT_ANSWERED` (after
 * filling `response`: a status is required, the body and `Location` as
 * received), `PRIVNUM_TRANSPORT_NOT_SENT` or `PRIVNUM_TRANSPORT_MAYBE_SENT`
 * (optionally with `privnum_http_response_set_error` saying why).
 *
 * It is called on the thread that called `privnum_client_call`, once per
 * attempt, each attempt signed afresh; when several threads call through
 * one client it is called from all of them at once, so it and `user_data`
 * must be thread-safe. It may call any privnum function (the last error it
 * leaves is replaced when the client call returns) except
 * `privnum_client_call` on the same thread. `request` and `response` are
 * valid only during the call.
 */
typedef uint32_t (*privnum_transport_fn)(void *user_data,
                                         const struct privnum_http_request *request,
                                         struct privnum_http_response *response);

/**
 * Success.
 */
#define PRIVNUM_RESULT_OK 0

/**
 * A required pointer argument was NULL.
 */
#define PRIVNUM_RESULT_NULL_PARAMETER 1

/**
 * privnum panicked; the panic was caught at the language boundary. Please report it.
 */
#define PRIVNUM_RESULT_PANIC 2

/**
 * The output buffer is too small; the needed size was written to `*out_n`.
 */
#define PRIVNUM_RESULT_INSUFFICIENT_SIZE 3

/**
 * A text argument was not valid UTF-8.
 */
#define PRIVNUM_RESULT_INVALID_UTF8 4

/**
 * An argument is out of its allowed range or unknown (for example an unknown enum value).
 */
#define PRIVNUM_RESULT_INVALID_ARGUMENT 5

/**
 * The operating system's random source failed.
 */
#define PRIVNUM_RESULT_RANDOM_UNAVAILABLE 6

/**
 * The number is empty (or only separators and spaces).
 */
#define PRIVNUM_RESULT_NUMBER_EMPTY 100

/**
 * The number contains a character that is neither a digit nor an accepted separator.
 */
#define PRIVNUM_RESULT_NUMBER_INVALID_CHARACTER 101

/**
 * A `+` appears somewhere other than at the very start, or more than once.
 */
#define PRIVNUM_RESULT_NUMBER_MISPLACED_PLUS 102

/**
 * The number has too few digits for its country or kind.
 */
#define PRIVNUM_RESULT_NUMBER_TOO_SHORT 103

/**
 * The number has too many digits for its country or kind.
 */
#define PRIVNUM_RESULT_NUMBER_TOO_LONG 104

/**
 * The digits after `+` or `00` do not start with an assigned country calling code.
 */
#define PRIVNUM_RESULT_NUMBER_UNKNOWN_COUNTRY_CODE 105

/**
 * A national number was given but no default country was configured.
 */
#define PRIVNUM_RESULT_NUMBER_MISSING_COUNTRY_CODE 106

/**
 * The digits are not a valid number of that country (unassigned prefix, missing area code, ...).
 */
#define PRIVNUM_RESULT_NUMBER_INVALID_FOR_COUNTRY 107

/**
 * A value does not fit the length bounds of the API field it is meant for.
 */
#define PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS 108

/**
 * The app key is empty, too long, or contains characters that cannot be quoted in a header.
 */
#define PRIVNUM_RESULT_INVALID_APP_KEY 200

/**
 * The app secret is empty.
 */
#define PRIVNUM_RESULT_INVALID_APP_SECRET 201

/**
 * A nonce is not 1-128 ASCII letters and digits.
 */
#define PRIVNUM_RESULT_INVALID_NONCE 202

/**
 * A `Created` time is not `yyyy-MM-ddTHH:mm:ssZ` or out of range.
 */
#define PRIVNUM_RESULT_INVALID_CREATED 203

/**
 * A parameter set cannot be signed (empty name, duplicate name, ...).
 */
#define PRIVNUM_RESULT_INVALID_PARAMETERS 204

/**
 * The signature header or parameter is missing.
 */
#define PRIVNUM_RESULT_AUTH_MISSING 250

/**
 * The signature header or parameter cannot be parsed.
 */
#define PRIVNUM_RESULT_AUTH_MALFORMED 251

/**
 * The request was signed for a different app key.
 */
#define PRIVNUM_RESULT_AUTH_WRONG_KEY 252

/**
 * The digest does not match: wrong secret, or the request was altered.
 */
#define PRIVNUM_RESULT_AUTH_BAD_DIGEST 253

/**
 * The signing time is outside the accepted freshness window.
 */
#define PRIVNUM_RESULT_AUTH_STALE 254

/**
 * This nonce was already accepted: the request is a replay.
 */
#define PRIVNUM_RESULT_AUTH_REPLAYED 255

/**
 * The push body is not valid JSON (or not UTF-8).
 */
#define PRIVNUM_RESULT_PUSH_INVALID_JSON 300

/**
 * A required field of the push is missing; the message names it.
 */
#define PRIVNUM_RESULT_PUSH_MISSING_FIELD 301

/**
 * A field of the push has the wrong JSON type; the message names it.
 */
#define PRIVNUM_RESULT_PUSH_WRONG_TYPE 302

/**
 * A field of the push has a value that cannot be read (a time, a number, a code).
 */
#define PRIVNUM_RESULT_PUSH_INVALID_VALUE 303

/**
 * The push is of no kind privnum knows (unknown `eventType`, no known shape).
 */
#define PRIVNUM_RESULT_PUSH_UNKNOWN_KIND 304

/**
 * The push body, or one of its lists (more than 50 CDRs, more than 100 number statuses), is larger than allowed.
 */
#define PRIVNUM_RESULT_PUSH_TOO_LARGE 305

/**
 * A Block-mode reply has a value the platform would refuse (which drops the caller's call).
 */
#define PRIVNUM_RESULT_REPLY_INVALID 320

/**
 * A platform binding rule refuses the operation (the engine's answer names the platform `resultcode`).
 */
#define PRIVNUM_RESULT_RULE_VIOLATION 400

/**
 * No binding with that id (or those numbers) exists.
 */
#define PRIVNUM_RESULT_BINDING_NOT_FOUND 401

/**
 * The binding's state does not allow that operation (for example modifying an unbound binding).
 */
#define PRIVNUM_RESULT_INVALID_TRANSITION 402

/**
 * No X in the pool can take the binding; the message says which rule blocked each candidate.
 */
#define PRIVNUM_RESULT_POOL_EXHAUSTED 403

/**
 * A binding with that id already exists.
 */
#define PRIVNUM_RESULT_BINDING_EXISTS 404

/**
 * Reading or writing the engine's directory failed.
 */
#define PRIVNUM_RESULT_JOURNAL_IO 410

/**
 * The engine's journal or snapshot is damaged (not just a torn last record).
 */
#define PRIVNUM_RESULT_JOURNAL_CORRUPT 411

/**
 * An engine command (JSON) is malformed or names an unknown operation.
 */
#define PRIVNUM_RESULT_INVALID_COMMAND 420

/**
 * The platform failed transiently (internal error, response timeout): retry a limited number of
 * times with backoff. A bind whose outcome is unknown is settled by a query, never blindly re-sent.
 */
#define PRIVNUM_RESULT_PLATFORM_RETRY 500

/**
 * The platform throttles the application (flow control): wait at least a minute, then retry.
 */
#define PRIVNUM_RESULT_PLATFORM_THROTTLED 501

/**
 * The platform refused the request as malformed (a parameter, the method or the path): fix it.
 */
#define PRIVNUM_RESULT_PLATFORM_INVALID_REQUEST 502

/**
 * The platform refused the credentials or the authentication headers.
 */
#define PRIVNUM_RESULT_PLATFORM_AUTH 503

/**
 * The signature's `Created` time is too far from the platform's clock: fix the clock, sign again.
 */
#define PRIVNUM_RESULT_PLATFORM_CLOCK_SKEW 504

/**
 * The binding or number already exists or is already bound on the platform (e.g. 1012010).
 */
#define PRIVNUM_RESULT_PLATFORM_CONFLICT 505

/**
 * The platform has no such binding, record or number for this application.
 */
#define PRIVNUM_RESULT_PLATFORM_NOT_FOUND 506

/**
 * No idle number or extension, or a quantity limit was reached: choose different parameters.
 */
#define PRIVNUM_RESULT_PLATFORM_EXHAUSTED 507

/**
 * The account, application, number or caller is not allowed right now (frozen, blacklisted, ...).
 */
#define PRIVNUM_RESULT_PLATFORM_FORBIDDEN 508

/**
 * The platform answered with a result code privnum does not know: a failure, not retried.
 */
#define PRIVNUM_RESULT_PLATFORM_UNKNOWN 509

/**
 * The platform's response cannot be read: not JSON, no `resultcode`, or a success that lacks a
 * required field.
 */
#define PRIVNUM_RESULT_RESPONSE_INVALID 520

/**
 * The request could not be sent and certainly did not reach the platform (name resolution,
 * connection refused, connect timeout, TLS handshake): sending it again is safe.
 */
#define PRIVNUM_RESULT_TRANSPORT_NOT_SENT 530

/**
 * The request was (or may have been) sent but no complete answer came back (read timeout,
 * connection closed): it may have taken effect; only an idempotent request may be sent again.
 */
#define PRIVNUM_RESULT_TRANSPORT_NO_RESPONSE 531

/**
 * A bind may or may not have taken effect and it was not settled by a query: look the binding up
 * before binding again.
 */
#define PRIVNUM_RESULT_OUTCOME_UNKNOWN 532

#ifdef __cplusplus
extern "C" {
#endif // __cplusplus

/**
 * The version of the linked library as a static, NUL-terminated string
 * (`"0.1.0"`). Compare with the `PRIVNUM_VERSION_*` macros of the header
 * you compiled against. Never NULL; do not free.
 */
const char *privnum_version(void);

/**
 * A short, static, NUL-terminated English description of a tear-down point
 * or hang-up reason (a CDR's `ulFailReason`, a disconnect's `stateCode`;
 * e.g. 7503 `"callee hung up"`), or NULL for a code not in privnum's tables.
 * Do not free.
 */
const char *privnum_fail_reason_description(uint32_t code);

/**
 * The broad class of a tear-down point: a `PRIVNUM_FAIL_CATEGORY_*` value
 * (`PRIVNUM_FAIL_CATEGORY_UNKNOWN` for codes not in the tables, except
 * unlisted codes of the control range 8042-8059, which are
 * `PRIVNUM_FAIL_CATEGORY_RESTRICTED`).
 */
uint32_t privnum_fail_reason_category(uint32_t code);

/**
 * Who ended the call, only when the code itself says so: a
 * `PRIVNUM_PARTY_*` value (the caller for 7501, 7502, 7516 and 8009, the
 * callee for 7503 and 7504, the platform for 8010), otherwise
 * `PRIVNUM_PARTY_NONE` (including code 0, which does not say who hung up).
 */
uint32_t privnum_fail_reason_hung_up_by(uint32_t code);

/**
 * Whether the code is 0, a normal hang-up after the call was answered.
 */
bool privnum_fail_reason_is_normal(uint32_t code);

/**
 * The static, NUL-terminated snake_case name of a
 * `PRIVNUM_FAIL_CATEGORY_*` value (`"normal"`, `"caller_hung_up"`,
 * `"no_binding"`, ...), or NULL for an unknown value. Do not free.
 */
const char *privnum_fail_category_name(uint32_t category);

/**
 * The static, NUL-terminated name of a `PRIVNUM_PARTY_*` value
 * (`"caller"`, `"callee"`, `"platform"`), or NULL for `PRIVNUM_PARTY_NONE`
 * and unknown values. Do not free.
 */
const char *privnum_party_name(uint32_t party);

/**
 * The static, NUL-terminated standard name of a Q.850 cause (a CDR's
 * `fwdUnaswRsn` / `callOutUnaswRsn`; e.g. 17 `"user busy"`), or NULL for a
 * value the spec does not list. Do not free.
 */
const char *privnum_q850_description(uint32_t cause);

/**
 * Whether the Q.850 cause means nothing went wrong: 0 (no cause) or 16
 * (normal call clearing).
 */
bool privnum_q850_is_normal(uint32_t cause);

/**
 * What to do about a platform API `resultcode` (the string as received,
 * e.g. `"1012010"`): a `PRIVNUM_ACTION_*` value.
 *
 * `http_status` is the response's HTTP status, or -1 when unknown (any
 * value outside 0-65535 counts as unknown). It only matters for 1010010,
 * which means "invalid digest" with HTTP 401 (`PRIVNUM_ACTION_FIX_AUTH`)
 * and flow control otherwise (`PRIVNUM_ACTION_BACK_OFF`). Only canonical
 * decimal codes are looked up (no sign, spaces or leading zeros); anything
 * else, including text that is not UTF-8 or NULL with a length, is
 * `PRIVNUM_ACTION_UNKNOWN`. This is a lookup, not a fallible call: it
 * never sets the last error.
 *
 * # Safety
 *
 * `code` must be NULL or point to `code_len` readable bytes.
 */
uint32_t privnum_result_code_action(const uint8_t *code, size_t code_len, int32_t http_status);

/**
 * Whether the same request may be sent again unchanged: true exactly for
 * `PRIVNUM_ACTION_RETRY` and `PRIVNUM_ACTION_BACK_OFF`. Arguments as for
 * `privnum_result_code_action`.
 *
 * # Safety
 *
 * As for `privnum_result_code_action`.
 */
bool privnum_result_code_retryable(const uint8_t *code, size_t code_len, int32_t http_status);

/**
 * The recommended number of retries: 0 unless retryable; 1 for 1023002
 * (response timeout: resend once, then escalate); otherwise 3. Arguments as
 * for `privnum_result_code_action`.
 *
 * # Safety
 *
 * As for `privnum_result_code_action`.
 */
uint32_t privnum_result_code_max_retries(const uint8_t *code, size_t code_len, int32_t http_status);

/**
 * A short, static, NUL-terminated English description of a `resultcode`
 * (for 1010010 resolved with `http_status`, as `privnum_result_code_action`
 * does), or NULL for an unknown code. Arguments as for
 * `privnum_result_code_action`. Do not free.
 *
 * # Safety
 *
 * As for `privnum_result_code_action`.
 */
const char *privnum_result_code_description(const uint8_t *code,
                                            size_t code_len,
                                            int32_t http_status);

/**
 * The static, NUL-terminated snake_case name of a `PRIVNUM_ACTION_*` value
 * (`"success"`, `"retry"`, `"back_off"`, `"fix_input"`, ...), or NULL for
 * an unknown value. Do not free.
 */
const char *privnum_action_name(uint32_t action);

/**
 * Read an X-number `status` as it appears on the wire (`"10"`) into
 * `*out` (a `PRIVNUM_NUMBER_STATUS_*` value or another, unknown, code).
 * Text that is not a decimal number (ASCII digits only, fitting 32 bits)
 * gives `PRIVNUM_RESULT_INVALID_ARGUMENT`. `*out` is written only on
 * success.
 *
 * # Safety
 *
 * `wire` must be NULL (only with `wire_len == 0`) or point to `wire_len`
 * readable bytes; `out` must be valid for writing a `uint32_t`.
 */
privnum_result privnum_number_status_parse(const uint8_t *wire, size_t wire_len, uint32_t *out);

/**
 * The static, NUL-terminated snake_case name of an X-number status code:
 * `"normal"`, `"paused"`, `"unavailable"`, `"bind_frozen"`, or `"other"`
 * for any other code (never NULL). Do not free.
 */
const char *privnum_number_status_name(uint32_t status);

/**
 * A short, static, NUL-terminated description of an X-number status code,
 * or NULL for a code that is not a `PRIVNUM_NUMBER_STATUS_*`. Do not free.
 */
const char *privnum_number_status_description(uint32_t status);

/**
 * Whether existing bindings on a number with this status still carry calls
 * and SMS: normal and bind-frozen numbers (unknown statuses: false).
 */
bool privnum_number_status_binding_usable(uint32_t status);

/**
 * Whether new bindings on a number with this status are allowed: only when
 * it is normal.
 */
bool privnum_number_status_new_bindings_allowed(uint32_t status);

/**
 * Read an unavailable `cause` as it appears on the wire (`"2"`) into
 * `*out` (a `PRIVNUM_UNAVAILABLE_CAUSE_*` value or another, unknown, code).
 * As `privnum_number_status_parse` otherwise.
 *
 * # Safety
 *
 * As for `privnum_number_status_parse`.
 */
privnum_result privnum_unavailable_cause_parse(const uint8_t *wire, size_t wire_len, uint32_t *out);

/**
 * The static, NUL-terminated snake_case name of an unavailable cause code
 * (`"number_deleted"`, `"arrears"`, ...), or `"other"` for any other code
 * (never NULL). Do not free.
 */
const char *privnum_unavailable_cause_name(uint32_t cause);

/**
 * A short, static, NUL-terminated description of an unavailable cause
 * code, or NULL for a code that is not a `PRIVNUM_UNAVAILABLE_CAUSE_*`. Do
 * not free.
 */
const char *privnum_unavailable_cause_description(uint32_t cause);

/**
 * `"success"` for an SMS push's `sendResult` 0; NULL for every other value
 * (they are unconfirmed in the spec). Static; do not free.
 */
const char *privnum_send_result_description(uint32_t send_result);

/**
 * Whether an SMS push's `sendResult` means success (only 0 does).
 */
bool privnum_send_result_is_success(uint32_t send_result);

/**
 * Write the default inbox settings to `*out`.
 *
 * # Safety
 *
 * `out` must be valid for writing a `privnum_inbox_config`.
 */
privnum_result privnum_inbox_config_default(struct privnum_inbox_config *out);

/**
 * Create an inbox and write it to `*out`. `config` may be NULL for the
 * defaults.
 *
 * With `app_key` and `app_secret` both NULL the inbox does not check
 * signatures (for pushes verified upstream). With both given (UTF-8) it
 * checks the X-AKSK / X-WSSE headers of every push like
 * `privnum_verifier_verify`; they must be valid as for `privnum_signer_new`
 * (`PRIVNUM_RESULT_INVALID_APP_KEY`, `PRIVNUM_RESULT_INVALID_APP_SECRET`).
 * Only one of them NULL is `PRIVNUM_RESULT_INVALID_ARGUMENT`.
 *
 * Ownership: on success the caller owns `*out` and must release it with
 * `privnum_inbox_free`. `*out` is written only on success.
 *
 * # Safety
 *
 * `config` must be NULL or point to an initialised `privnum_inbox_config`;
 * `app_key` and `app_secret` must each be NULL (their length is then
 * ignored) or point to that many readable bytes; `out` must be valid for
 * writing a pointer.
 */
privnum_result privnum_inbox_new(const struct privnum_inbox_config *config,
                                 const uint8_t *app_key,
                                 size_t app_key_len,
                                 const uint8_t *app_secret,
                                 size_t app_secret_len,
                                 struct privnum_inbox **out);

/**
 * Write to `*out` another handle to the same inbox (reference counted; the
 * de-duplication set is shared, not copied).
 *
 * # Safety
 *
 * `inbox` must be a live handle; `out` must be valid for writing a pointer.
 */
privnum_result privnum_inbox_clone(const struct privnum_inbox *inbox, struct privnum_inbox **out);

/**
 * Release an inbox handle. NULL does nothing. Received pushes stay valid.
 *
 * # Safety
 *
 * `inbox` must be NULL or a live handle from `privnum_inbox_new` or
 * `privnum_inbox_clone`; it must not be used afterwards.
 */
void privnum_inbox_free(struct privnum_inbox *inbox);

/**
 * Receive one push at `now` (Unix seconds) and write the result to `*out`.
 *
 * Steps, each failing with its own code: the body size
 * (`PRIVNUM_RESULT_PUSH_TOO_LARGE`); the signature, when the inbox has a
 * secret (`PRIVNUM_RESULT_AUTH_*`, as `privnum_verifier_verify`); parsing
 * (`PRIVNUM_RESULT_PUSH_*`, as `privnum_push_parse`; a signed push that
 * does not parse has its nonce released so that a fixed redelivery is
 * accepted). Then each item is marked new or duplicate; NOTHING is
 * remembered yet: store the new items, then call `privnum_inbox_commit`
 * (or, if processing failed and you answer with an error so that the
 * platform redelivers, `privnum_inbox_release`).
 *
 * The body is copied into the received push (unless it is too large);
 * `body` and `headers` may be reused as soon as the call returns.
 * Headers follow `privnum_verifier_verify` (and are ignored without a
 * secret, but must still be UTF-8). Safe to call from several threads at
 * once on the same inbox. `*out` is written only on success; release it
 * with `privnum_received_free`.
 *
 * # Safety
 *
 * `inbox` must be a live handle; `body` must be NULL (only with
 * `body_len == 0`) or point to `body_len` readable bytes; `headers` must be
 * NULL (only with `n_headers == 0`) or point to `n_headers` headers whose
 * texts follow the input text rules; `out` must be valid for writing a
 * pointer.
 */
privnum_result privnum_inbox_receive(const struct privnum_inbox *inbox,
                                     const uint8_t *body,
                                     size_t body_len,
                                     const struct privnum_header *headers,
                                     size_t n_headers,
                                     int64_t now,
                                     struct privnum_received **out);

/**
 * Remember the items of `received` as processed at `now` (Unix seconds),
 * so that redeliveries are reported as duplicates. Call it after storing
 * the new items. Committing twice is harmless.
 *
 * # Safety
 *
 * `inbox` and `received` must be live handles.
 */
privnum_result privnum_inbox_commit(const struct privnum_inbox *inbox,
                                    const struct privnum_received *received,
                                    int64_t now);

/**
 * Forget that the signed request of `received` was accepted (its nonce), so
 * that the platform's redelivery is not refused as a replay. Use it when
 * processing failed and you answer with an error. Does nothing for an
 * inbox without a secret.
 *
 * # Safety
 *
 * `inbox` and `received` must be live handles.
 */
privnum_result privnum_inbox_release(const struct privnum_inbox *inbox,
                                     const struct privnum_received *received);

/**
 * Write to `*out` another handle to the same received push.
 *
 * # Safety
 *
 * `received` must be a live handle; `out` must be valid for writing a
 * pointer.
 */
privnum_result privnum_received_clone(const struct privnum_received *received,
                                      struct privnum_received **out);

/**
 * Release a received push. NULL does nothing. Its push (from
 * `privnum_received_push`) and the views read from it become invalid,
 * unless you took your own handle to the push with `privnum_push_clone`.
 *
 * # Safety
 *
 * `received` must be NULL or a live handle from `privnum_inbox_receive` or
 * `privnum_received_clone`; it must not be used afterwards.
 */
void privnum_received_free(struct privnum_received *received);

/**
 * The parsed push of `received`, for the `privnum_push_*` accessors; NULL
 * if `received` is NULL. It is owned by `received`: valid until
 * `privnum_received_free`, and NOT to be passed to `privnum_push_free`
 * (call `privnum_push_clone` on it for a handle of your own that outlives
 * `received`).
 *
 * # Safety
 *
 * `received` must be NULL or a live handle.
 */
const struct privnum_push *privnum_received_push(const struct privnum_received *received);

/**
 * The number of items of `received`: the number of CDR records for a CDR
 * push (item `i` is record `i`), otherwise 1; 0 if `received` is NULL.
 *
 * # Safety
 *
 * `received` must be NULL or a live handle.
 */
size_t privnum_received_item_count(const struct privnum_received *received);

/**
 * Read item `index` of `received` into `*out`. An `index` not below
 * `privnum_received_item_count` gives `PRIVNUM_RESULT_INVALID_ARGUMENT`.
 * `*out` is written only on success.
 *
 * # Safety
 *
 * `received` must be a live handle; `out` must be valid for writing a
 * `privnum_item`.
 */
privnum_result privnum_received_item(const struct privnum_received *received,
                                     size_t index,
                                     struct privnum_item *out);

/**
 * Whether every item of `received` is a duplicate: a redelivery of a push
 * already committed (answer 200 and do nothing). False if `received` is
 * NULL.
 *
 * # Safety
 *
 * `received` must be NULL or a live handle.
 */
bool privnum_received_is_duplicate(const struct privnum_received *received);

/**
 * Whether the push's signature was checked (the inbox has a secret); false
 * if `received` is NULL.
 *
 * # Safety
 *
 * `received` must be NULL or a live handle.
 */
bool privnum_received_is_verified(const struct privnum_received *received);

/**
 * Write the signature check's result (scheme, nonce, `Created`) to `*out`.
 * Fails with `PRIVNUM_RESULT_INVALID_ARGUMENT` when the push was not
 * verified (an inbox without a secret). `*out` is written only on success.
 *
 * # Safety
 *
 * `received` must be a live handle; `out` must be valid for writing a
 * `privnum_verified`.
 */
privnum_result privnum_received_verified(const struct privnum_received *received,
                                         struct privnum_verified *out);

/**
 * Parse what a person typed into `*out`.
 *
 * `default_country` is the country calling code applied to national numbers
 * (no `+`, no `00`), or `PRIVNUM_COUNTRY_NONE` (0) to reject them. Use
 * `privnum_number_parse_default` for the usual default, +86. A value above
 * 65535 gives `PRIVNUM_RESULT_INVALID_ARGUMENT`; an unassigned code gives
 * `PRIVNUM_RESULT_NUMBER_UNKNOWN_COUNTRY_CODE`.
 *
 * Returns `PRIVNUM_RESULT_OK` or a `PRIVNUM_RESULT_NUMBER_*` code (see the
 * last error message for details). `*out` is written only on success.
 *
 * # Safety
 *
 * `input` must be NULL (only with `input_len == 0`) or point to
 * `input_len` readable bytes; `out` must be valid for writing a
 * `privnum_number`.
 */
privnum_result privnum_number_parse(const uint8_t *input,
                                    size_t input_len,
                                    uint32_t default_country,
                                    struct privnum_number *out);

/**
 * Parse what a person typed into `*out`, with mainland China (+86) as the
 * default country (`PRIVNUM_DEFAULT_COUNTRY_CODE`). Otherwise as
 * `privnum_number_parse`.
 *
 * # Safety
 *
 * As for `privnum_number_parse`.
 */
privnum_result privnum_number_parse_default(const uint8_t *input,
                                            size_t input_len,
                                            struct privnum_number *out);

/**
 * Rebuild a number from stored `bits` (a `privnum_number.bits` value),
 * checking them: bits that no parse produced give
 * `PRIVNUM_RESULT_INVALID_ARGUMENT`. `*out` is written only on success.
 *
 * # Safety
 *
 * `out` must be valid for writing a `privnum_number`.
 */
privnum_result privnum_number_from_bits(uint64_t bits, struct privnum_number *out);

/**
 * Write the number in E.164 form (`+8613800000021`) to `buf`, not
 * NUL-terminated, and its length to `*out_n`. 32 bytes always suffice.
 *
 * Returns `PRIVNUM_RESULT_INSUFFICIENT_SIZE` (with the needed size in
 * `*out_n`, `buf` untouched) if `buf_len` is too small, and
 * `PRIVNUM_RESULT_INVALID_ARGUMENT` for invalid bits.
 *
 * # Safety
 *
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_number_e164(struct privnum_number n,
                                   uint8_t *buf,
                                   size_t buf_len,
                                   size_t *out_n);

/**
 * Write the E.164 form escaped for a URL query string (`%2B8613800000021`;
 * a raw `+` in a query decodes as a space). Output as `privnum_number_e164`.
 *
 * # Safety
 *
 * As for `privnum_number_e164`.
 */
privnum_result privnum_number_query(struct privnum_number n,
                                    uint8_t *buf,
                                    size_t buf_len,
                                    size_t *out_n);

/**
 * Write a form safe for logs (`+86138****0021`): country code, the first
 * three and last four digits of the national number, the rest as `*`.
 * Output as `privnum_number_e164`.
 *
 * # Safety
 *
 * As for `privnum_number_e164`.
 */
privnum_result privnum_number_masked(struct privnum_number n,
                                     uint8_t *buf,
                                     size_t buf_len,
                                     size_t *out_n);

/**
 * Write the number as dialled inside its country: Chinese fixed lines get
 * the trunk `0` (`075528000002`), mobiles and service numbers stay as they
 * are; for other countries, the national significant number. Output as
 * `privnum_number_e164`.
 *
 * # Safety
 *
 * As for `privnum_number_e164`.
 */
privnum_result privnum_number_national(struct privnum_number n,
                                       uint8_t *buf,
                                       size_t buf_len,
                                       size_t *out_n);

/**
 * Write the national significant number, without country code or trunk
 * prefix (`13800000021`, `75528000002`). Output as `privnum_number_e164`.
 *
 * # Safety
 *
 * As for `privnum_number_e164`.
 */
privnum_result privnum_number_national_significant(struct privnum_number n,
                                                   uint8_t *buf,
                                                   size_t buf_len,
                                                   size_t *out_n);

/**
 * Write the area code of a Chinese fixed line with its trunk `0`, as the
 * platform's `areaCode` fields expect it (`0755`, `010`).
 *
 * Numbers that are not fixed lines have no area code: the call succeeds,
 * writes nothing to `buf` and sets `*out_n` to 0 (an area code is never
 * empty, so 0 means "none"; `buf` may be NULL with `buf_len == 0`). Output
 * otherwise as `privnum_number_e164`.
 *
 * # Safety
 *
 * As for `privnum_number_e164`.
 */
privnum_result privnum_number_area_code(struct privnum_number n,
                                        uint8_t *buf,
                                        size_t buf_len,
                                        size_t *out_n);

/**
 * The country calling code (86 for mainland China), or 0 if `n` is not a
 * valid number.
 */
uint16_t privnum_number_country_code(struct privnum_number n);

/**
 * The class of the number, a `PRIVNUM_NUMBER_CLASS_*` value, or 0 if `n` is
 * not a valid number.
 */
uint32_t privnum_number_class(struct privnum_number n);

/**
 * The static, NUL-terminated snake_case name of a `PRIVNUM_NUMBER_CLASS_*`
 * value (`"mobile"`, `"virtual_operator"`, `"fixed_line"`, `"service"`,
 * `"international"`), or NULL for an unknown value. Do not free.
 */
const char *privnum_number_class_name(uint32_t number_class);

/**
 * Whether the number may be a party (A, B, callee) of a binding: false for
 * service numbers, and false if `n` is not a valid number.
 */
bool privnum_number_is_bindable(struct privnum_number n);

/**
 * Whether the number may place calls to a privacy number X: false for fixed
 * lines and service numbers, and false if `n` is not a valid number.
 */
bool privnum_number_can_call_x(struct privnum_number n);

/**
 * Check that the number, in E.164 form, fits the length bounds of `field`
 * (a `PRIVNUM_FIELD_*` value).
 *
 * Returns `PRIVNUM_RESULT_OK`, `PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS`, or
 * `PRIVNUM_RESULT_INVALID_ARGUMENT` for an unknown field or invalid bits.
 */
privnum_result privnum_number_check_field(struct privnum_number n, uint32_t field);

/**
 * Check that the UTF-8 text `value` fits the length bounds of `field` (a
 * `PRIVNUM_FIELD_*` value); lengths count characters, not bytes.
 *
 * Returns `PRIVNUM_RESULT_OK`, `PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS`,
 * `PRIVNUM_RESULT_INVALID_UTF8`, or `PRIVNUM_RESULT_INVALID_ARGUMENT` for an
 * unknown field.
 *
 * # Safety
 *
 * `value` must be NULL (only with `value_len == 0`, the empty string) or
 * point to `value_len` readable bytes.
 */
privnum_result privnum_field_check(uint32_t field, const uint8_t *value, size_t value_len);

/**
 * Write the documented length bounds of `field` (a `PRIVNUM_FIELD_*`
 * value), in characters, to `*out_min` and `*out_max`. Unknown fields give
 * `PRIVNUM_RESULT_INVALID_ARGUMENT`. Nothing is written unless the call
 * succeeds.
 *
 * # Safety
 *
 * `out_min` and `out_max` must each be valid for writing a `size_t`.
 */
privnum_result privnum_field_bounds(uint32_t field, size_t *out_min, size_t *out_max);

/**
 * The static, NUL-terminated name of `field` as `<interface>.<jsonField>`
 * (`"axb.callerNum"`), or NULL for an unknown field. Do not free.
 */
const char *privnum_field_name(uint32_t field);

/**
 * Look a field up by its name (as `privnum_field_name` returns it) and write
 * its `PRIVNUM_FIELD_*` value to `*out`. Unknown names give
 * `PRIVNUM_RESULT_INVALID_ARGUMENT`.
 *
 * # Safety
 *
 * `name` must be NULL (only with `name_len == 0`) or point to `name_len`
 * readable bytes; `out` must be valid for writing a `uint32_t`.
 */
privnum_result privnum_field_from_name(const uint8_t *name, size_t name_len, uint32_t *out);

/**
 * Percent-encode the UTF-8 text `input` with `encoding` (a
 * `PRIVNUM_PARAMS_ENCODING_*` value) into `buf` (not NUL-terminated), with
 * its length in `*out_n`. At most three bytes are written per input byte.
 *
 * # Safety
 *
 * `input` must be NULL (only with `input_len == 0`) or point to
 * `input_len` readable bytes; `buf` must be NULL (only with `buf_len == 0`)
 * or valid for writing `buf_len` bytes; `out_n` must be valid for writing a
 * `size_t`.
 */
privnum_result privnum_params_encode(uint32_t encoding,
                                     const uint8_t *input,
                                     size_t input_len,
                                     uint8_t *buf,
                                     size_t buf_len,
                                     size_t *out_n);

/**
 * Write the string that is signed for `params` under `profile` (a
 * `PRIVNUM_PARAMS_PROFILE_*` value) to `buf` (not NUL-terminated), with its
 * length in `*out_n`: the signature parameter (and, for call control, empty
 * values) left out, the rest sorted by name, encoded, joined and prefixed.
 *
 * An empty or duplicate name gives `PRIVNUM_RESULT_INVALID_PARAMETERS`.
 *
 * # Safety
 *
 * `params` must be NULL (only with `n_params == 0`) or point to `n_params`
 * parameters whose texts follow the input text rules; `buf` must be NULL
 * (only with `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n`
 * must be valid for writing a `size_t`.
 */
privnum_result privnum_params_string_to_sign(uint32_t profile,
                                             const struct privnum_param *params,
                                             size_t n_params,
                                             uint8_t *buf,
                                             size_t buf_len,
                                             size_t *out_n);

/**
 * Sign `params` under `profile` (a `PRIVNUM_PARAMS_PROFILE_*` value) with
 * the UTF-8 `secret`, writing the Base64 signature to `buf` (not
 * NUL-terminated, not URL-encoded: encode it like any other value when you
 * put it in a query), with its length (28) in `*out_n`.
 *
 * An empty secret gives `PRIVNUM_RESULT_INVALID_APP_SECRET`; an empty or
 * duplicate name `PRIVNUM_RESULT_INVALID_PARAMETERS`.
 *
 * # Safety
 *
 * `secret` must be NULL (only with `secret_len == 0`) or point to
 * `secret_len` readable bytes; `params`, `buf` and `out_n` as for
 * `privnum_params_string_to_sign`.
 */
privnum_result privnum_params_sign(uint32_t profile,
                                   const uint8_t *secret,
                                   size_t secret_len,
                                   const struct privnum_param *params,
                                   size_t n_params,
                                   uint8_t *buf,
                                   size_t buf_len,
                                   size_t *out_n);

/**
 * Create a verifier for `profile` (a `PRIVNUM_PARAMS_PROFILE_*` value) with
 * the UTF-8 signing key `secret` and write it to `*out`. `config` may be
 * NULL for the defaults; its `accept_wsse` is ignored.
 *
 * An empty secret gives `PRIVNUM_RESULT_INVALID_APP_SECRET`.
 *
 * Ownership: on success the caller owns `*out` and must release it with
 * `privnum_params_verifier_free`. `*out` is written only on success.
 *
 * # Safety
 *
 * `secret` must be NULL (only with `secret_len == 0`) or point to
 * `secret_len` readable bytes; `config` must be NULL or point to an
 * initialised `privnum_verifier_config`; `out` must be valid for writing a
 * pointer.
 */
privnum_result privnum_params_verifier_new(uint32_t profile,
                                           const uint8_t *secret,
                                           size_t secret_len,
                                           const struct privnum_verifier_config *config,
                                           struct privnum_params_verifier **out);

/**
 * Write to `*out` another handle to the same verifier (reference counted;
 * the replay cache is shared, not copied). Each handle is released with its
 * own `privnum_params_verifier_free`, in any order and from any thread.
 *
 * # Safety
 *
 * `verifier` must be a live handle; `out` must be valid for writing a
 * pointer.
 */
privnum_result privnum_params_verifier_clone(const struct privnum_params_verifier *verifier,
                                             struct privnum_params_verifier **out);

/**
 * Release a parameter verifier handle. NULL does nothing.
 *
 * # Safety
 *
 * `verifier` must be NULL or a live handle from
 * `privnum_params_verifier_new` or `privnum_params_verifier_clone`; it must
 * not be used afterwards (other handles to the same verifier stay valid).
 */
void privnum_params_verifier_free(struct privnum_params_verifier *verifier);

/**
 * Verify a request's parameters (the signature among them, URL-encoded or
 * decoded) at `now` (Unix seconds) and write the result to `*out`.
 *
 * Fails with `PRIVNUM_RESULT_AUTH_MISSING` (no signature parameter),
 * `PRIVNUM_RESULT_AUTH_MALFORMED` (signature or timestamp unreadable),
 * `PRIVNUM_RESULT_AUTH_BAD_DIGEST`, `PRIVNUM_RESULT_AUTH_STALE` (timestamp
 * outside the window) or `PRIVNUM_RESULT_AUTH_REPLAYED` (nonce parameter
 * seen before). On success the nonce is remembered; see
 * `privnum_params_verifier_forget`. `*out` is written only on success. Safe
 * to call from several threads at once on the same verifier.
 *
 * # Safety
 *
 * `verifier` must be a live handle; `params` must be NULL (only with
 * `n_params == 0`) or point to `n_params` parameters whose texts follow the
 * input text rules; `out` must be valid for writing a
 * `privnum_params_verified`.
 */
privnum_result privnum_params_verifier_verify(const struct privnum_params_verifier *verifier,
                                              const struct privnum_param *params,
                                              size_t n_params,
                                              int64_t now,
                                              struct privnum_params_verified *out);

/**
 * Forget an accepted nonce so that a redelivery is accepted again (use it
 * when processing the request failed). Forgetting a nonce that is not
 * remembered does nothing and succeeds.
 *
 * # Safety
 *
 * `verifier` must be a live handle; `nonce` must be NULL (only with
 * `nonce_len == 0`) or point to `nonce_len` readable bytes.
 */
privnum_result privnum_params_verifier_forget(const struct privnum_params_verifier *verifier,
                                              const uint8_t *nonce,
                                              size_t nonce_len);

/**
 * Parse a push body (the raw HTTP request body: JSON, UTF-8) and write a
 * new push handle to `*out`. The body is copied; `body` may be reused as
 * soon as the call returns.
 *
 * This checks neither signature nor duplicates and has no size limit: for
 * pushes arriving over HTTP use `privnum_inbox_receive`, which does all of
 * it. Fails with `PRIVNUM_RESULT_PUSH_INVALID_JSON` (also for bytes that
 * are not UTF-8), `PRIVNUM_RESULT_PUSH_MISSING_FIELD`,
 * `PRIVNUM_RESULT_PUSH_WRONG_TYPE`, `PRIVNUM_RESULT_PUSH_INVALID_VALUE`
 * (the last error names the field, e.g. `feeLst[1].direction`),
 * `PRIVNUM_RESULT_PUSH_UNKNOWN_KIND` or `PRIVNUM_RESULT_PUSH_TOO_LARGE`
 * (more than `PRIVNUM_MAX_CDRS` records or `PRIVNUM_MAX_NUMBER_STATUSES`
 * entries).
 *
 * Ownership: on success the caller owns `*out` and must release it with
 * `privnum_push_free`. `*out` is written only on success.
 *
 * # Safety
 *
 * `body` must be NULL (only with `body_len == 0`) or point to `body_len`
 * readable bytes; `out` must be valid for writing a pointer.
 */
privnum_result privnum_push_parse(const uint8_t *body, size_t body_len, struct privnum_push **out);

/**
 * Write to `*out` another handle to the same push (reference counted, no
 * copy). This also works on the push of a `privnum_received`, to keep the
 * push (and its views) after `privnum_received_free`.
 *
 * # Safety
 *
 * `push` must be a live push; `out` must be valid for writing a pointer.
 */
privnum_result privnum_push_clone(const struct privnum_push *push, struct privnum_push **out);

/**
 * Release a push handle. NULL does nothing. Views read from the push stay
 * valid while another handle to it (a clone, or the `privnum_received` it
 * came from) is alive, and become invalid when the last one is released.
 *
 * # Safety
 *
 * `push` must be NULL or a handle from `privnum_push_parse` or
 * `privnum_push_clone` (NOT the pointer returned by
 * `privnum_received_push`, which the received owns); it must not be used
 * afterwards.
 */
void privnum_push_free(struct privnum_push *push);

/**
 * The kind of the push, a `PRIVNUM_PUSH_KIND_*` value; 0 if `push` is NULL.
 *
 * # Safety
 *
 * `push` must be NULL or a live push.
 */
uint32_t privnum_push_kind(const struct privnum_push *push);

/**
 * The static, NUL-terminated name of a `PRIVNUM_PUSH_KIND_*` value
 * (`"call"`, `"cdrs"`, `"sms"`, `"number_status"`), or NULL for an unknown
 * value. Do not free.
 */
const char *privnum_push_kind_name(uint32_t kind);

/**
 * Whether the platform waits for a decision in the HTTP response: an
 * X-mode `callin` with `notifyMode` `Block` (answer with
 * `privnum_reply_connect` or `privnum_reply_close`), or an SMS in Block mode
 * (`privnum_reply_sms_route` or `privnum_reply_sms_discard`). False for
 * every other push, and if `push` is NULL.
 *
 * # Safety
 *
 * `push` must be NULL or a live push.
 */
bool privnum_push_needs_reply(const struct privnum_push *push);

/**
 * The number of CDR records of a CDR push (1 to `PRIVNUM_MAX_CDRS`); 0 for
 * other pushes and if `push` is NULL.
 *
 * # Safety
 *
 * `push` must be NULL or a live push.
 */
size_t privnum_push_cdr_count(const struct privnum_push *push);

/**
 * Read CDR record `index` (0-based) of a CDR push into `*out`; its text
 * fields are views valid until the push is freed.
 *
 * Fails with `PRIVNUM_RESULT_INVALID_ARGUMENT` if the push is not a CDR
 * push or `index` is not below `privnum_push_cdr_count`. `*out` is written
 * only on success.
 *
 * # Safety
 *
 * `push` must be a live push; `out` must be valid for writing a
 * `privnum_cdr`.
 */
privnum_result privnum_push_cdr(const struct privnum_push *push,
                                size_t index,
                                struct privnum_cdr *out);

/**
 * Look up the field `name` (its JSON name, e.g. `"sipStatusCode"`, known to
 * privnum or not) of CDR record `index` and write its raw JSON text, exactly
 * as sent (`"\"abc\""` for a string, `42`, `{...}`), to `*out` as a view
 * valid until the push is freed. A field that is not in the record gives
 * `{ NULL, 0 }` and `PRIVNUM_RESULT_OK`.
 *
 * Fails as `privnum_push_cdr` does, and for a `name` that is not UTF-8.
 *
 * # Safety
 *
 * `push` must be a live push; `name` must be NULL (only with
 * `name_len == 0`) or point to `name_len` readable bytes; `out` must be
 * valid for writing a `privnum_str`.
 */
privnum_result privnum_push_cdr_field(const struct privnum_push *push,
                                      size_t index,
                                      const uint8_t *name,
                                      size_t name_len,
                                      struct privnum_str *out);

/**
 * Write why the call of CDR record `index` failed, in words
 * (`"7503 (callee hung up)"`: the tear-down point, else the Q.850 cause) to
 * `buf` (not NUL-terminated), with its length in `*out_n`. A call that did
 * not fail (`has_failure` false) writes nothing and sets `*out_n` to 0
 * (the text is never empty otherwise). 256 bytes always suffice.
 *
 * Fails as `privnum_push_cdr` does, and with
 * `PRIVNUM_RESULT_INSUFFICIENT_SIZE` as described at the top of this header.
 *
 * # Safety
 *
 * `push` must be a live push; `buf` must be NULL (only with `buf_len == 0`)
 * or valid for writing `buf_len` bytes; `out_n` must be valid for writing a
 * `size_t`.
 */
privnum_result privnum_push_cdr_failure(const struct privnum_push *push,
                                        size_t index,
                                        uint8_t *buf,
                                        size_t buf_len,
                                        size_t *out_n);

/**
 * Read the call event of a call push into `*out`; its text fields are
 * views valid until the push is freed. Fails with
 * `PRIVNUM_RESULT_INVALID_ARGUMENT` if the push is not a call event.
 * `*out` is written only on success.
 *
 * # Safety
 *
 * `push` must be a live push; `out` must be valid for writing a
 * `privnum_call_event`.
 */
privnum_result privnum_push_call(const struct privnum_push *push, struct privnum_call_event *out);

/**
 * Read the SMS notification of an SMS push into `*out`; its text fields
 * are views valid until the push is freed. Fails with
 * `PRIVNUM_RESULT_INVALID_ARGUMENT` if the push is not an SMS push. `*out`
 * is written only on success.
 *
 * # Safety
 *
 * `push` must be a live push; `out` must be valid for writing a
 * `privnum_sms_event`.
 */
privnum_result privnum_push_sms(const struct privnum_push *push, struct privnum_sms_event *out);

/**
 * Read pair `index` of an SMS push's `extInfo.extParas` (below
 * `ext_para_count`) into `*out_key` and `*out_value`, views valid until the
 * push is freed. Fails with `PRIVNUM_RESULT_INVALID_ARGUMENT` if the push is
 * not an SMS push or `index` is out of range. Nothing is written unless the
 * call succeeds.
 *
 * # Safety
 *
 * `push` must be a live push; `out_key` and `out_value` must each be valid
 * for writing a `privnum_str`.
 */
privnum_result privnum_push_sms_ext_para(const struct privnum_push *push,
                                         size_t index,
                                         struct privnum_str *out_key,
                                         struct privnum_str *out_value);

/**
 * The number of entries of an X-number status push (1 to
 * `PRIVNUM_MAX_NUMBER_STATUSES`); 0 for other pushes and if `push` is NULL.
 *
 * # Safety
 *
 * `push` must be NULL or a live push.
 */
size_t privnum_push_number_status_count(const struct privnum_push *push);

/**
 * Read entry `index` (0-based) of an X-number status push into `*out`.
 * Fails with `PRIVNUM_RESULT_INVALID_ARGUMENT` if the push is not an
 * X-number status push or `index` is out of range. `*out` is written only
 * on success.
 *
 * # Safety
 *
 * `push` must be a live push; `out` must be valid for writing a
 * `privnum_number_status_entry`.
 */
privnum_result privnum_push_number_status(const struct privnum_push *push,
                                          size_t index,
                                          struct privnum_number_status_entry *out);

/**
 * Build the reply body to an X-mode `callin` push that bridges the caller
 * to `opts->callee`, and write it (compact JSON, UTF-8, not
 * NUL-terminated) to `buf`, with its length in `*out_n`:
 *
 * `{"operation":"connect","connectInfo":{"calleeNum":...,"displayCalleeNum":...,"maxDuration":...,"waitVoice":...,"recordFlag":"false","recordHintTone":...,"lastMinVoice":...,"userData":...}}`
 *
 * Every value is checked first, since the platform drops the caller's call
 * when it refuses a reply: a value it would refuse gives
 * `PRIVNUM_RESULT_REPLY_INVALID`, a string of the wrong length
 * `PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS` (the last error names the JSON field
 * and the rule); invalid number bits or an unknown `form` give
 * `PRIVNUM_RESULT_INVALID_ARGUMENT`. Nothing is written then. 2048 bytes
 * always suffice.
 *
 * # Safety
 *
 * `opts` must point to an initialised `privnum_connect_options` whose texts
 * follow the input text rules; `buf` must be NULL (only with
 * `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
 * valid for writing a `size_t`.
 */
privnum_result privnum_reply_connect(const struct privnum_connect_options *opts,
                                     uint8_t *buf,
                                     size_t buf_len,
                                     size_t *out_n);

/**
 * Build the reply body to an X-mode `callin` push that ends the call and
 * write it to `buf` like `privnum_reply_connect`:
 * `{"operation":"close","closeInfo":{"closeHintTone":...,"userData":...}}`
 * (`closeInfo` is always written, `{}` when empty). `opts` may be NULL for
 * a plain close. Fails as `privnum_reply_connect`. 1024 bytes always
 * suffice.
 *
 * # Safety
 *
 * `opts` must be NULL or point to an initialised `privnum_close_options`
 * whose texts follow the input text rules; `buf` and `out_n` as for
 * `privnum_reply_connect`.
 */
privnum_result privnum_reply_close(const struct privnum_close_options *opts,
                                   uint8_t *buf,
                                   size_t buf_len,
                                   size_t *out_n);

/**
 * Build the reply body to an SMS Block push that forwards the message, and
 * write it to `buf` like `privnum_reply_connect`:
 * `{"actions":[{"operation":"vNumberRoute","message":{"calling":...,"called":...},"userData":...}]}`.
 *
 * `calling` must be the push's `calling`, unchanged (the platform requires
 * it); `called` is the real receiver (not a service number). `user_data`
 * (rules as `privnum_connect_options.user_data`; AX mode) is left out when
 * empty. Fails as `privnum_reply_connect`. 1024 bytes always suffice.
 *
 * # Safety
 *
 * `user_data` must be NULL (only with `user_data_len == 0`) or point to
 * `user_data_len` readable bytes; `buf` and `out_n` as for
 * `privnum_reply_connect`.
 */
privnum_result privnum_reply_sms_route(struct privnum_number calling,
                                       struct privnum_number called,
                                       const uint8_t *user_data,
                                       size_t user_data_len,
                                       uint8_t *buf,
                                       size_t buf_len,
                                       size_t *out_n);

/**
 * Build the reply body to an SMS Block push that drops the message, and
 * write it to `buf` like `privnum_reply_connect`:
 * `{"actions":[{"operation":"DiscardMessage","userData":...}]}` (`userData`
 * left out when empty). Fails as `privnum_reply_connect`. 1024 bytes always
 * suffice.
 *
 * # Safety
 *
 * As for `privnum_reply_sms_route`.
 */
privnum_result privnum_reply_sms_discard(const uint8_t *user_data,
                                         size_t user_data_len,
                                         uint8_t *buf,
                                         size_t buf_len,
                                         size_t *out_n);

/**
 * Build the answer to an X-mode call-control query and write it to `buf`
 * like `privnum_reply_connect`:
 * `{"code":"OK","message":"OK","model":{"controlOperate":"CONTINUE","controlMsg":...,"subsId":"0","callNoPlayCode":...,<extras>}}`.
 *
 * Free text (`message`, `control_msg`, `call_no_play_code`, extra values)
 * is escaped, not restricted, so no fixed buffer size always suffices: use
 * the size query. Fails as `privnum_reply_connect`; an unknown `operate`
 * gives `PRIVNUM_RESULT_INVALID_ARGUMENT`.
 *
 * # Safety
 *
 * `opts` must point to an initialised `privnum_call_control_options` whose
 * texts and `extra` array follow the input text rules; `buf` and `out_n`
 * as for `privnum_reply_connect`.
 */
privnum_result privnum_reply_call_control(const struct privnum_call_control_options *opts,
                                          uint8_t *buf,
                                          size_t buf_len,
                                          size_t *out_n);

/**
 * The static, NUL-terminated name of a `PRIVNUM_INFO_FORM_*` value
 * (`"object"`, `"array"`), or NULL for an unknown value. Do not free.
 */
const char *privnum_info_form_name(uint32_t form);

/**
 * The static, NUL-terminated wire value of a `PRIVNUM_CONTROL_OPERATE_*`
 * value (`"CONTINUE"`, `"REJECT"`, `"IVR"`), or NULL for an unknown value.
 * Do not free.
 */
const char *privnum_control_operate_name(uint32_t operate);

/**
 * A short, static, NUL-terminated English description of a result code:
 * `"ok"` for `PRIVNUM_RESULT_OK`, `"unknown result code"` for a number
 * that is not a result code. Never NULL; do not free.
 */
const char *privnum_result_str(uint32_t code);

/**
 * The static, NUL-terminated name of a result code, the part after
 * `PRIVNUM_RESULT_` (`"OK"`, `"NUMBER_EMPTY"`, `"AUTH_REPLAYED"`, ...), or
 * NULL for a number that is not a result code. Do not free.
 */
const char *privnum_result_name(uint32_t code);

/**
 * Copy the calling thread's last error message into `buf` (UTF-8, not
 * NUL-terminated; its length is written to `*out_n`).
 *
 * The last error is thread-local: every call that returns a code other than
 * `PRIVNUM_RESULT_OK` replaces the message of the thread that made it, with a
 * specific English text (which argument, which character, which bound...).
 * Successful calls leave it unchanged, so read it right after the failing
 * call, on the same thread. It is empty before the thread's first failure.
 * Messages never contain secrets.
 *
 * This function never changes the last error, not even when it fails itself
 * (for example with `PRIVNUM_RESULT_INSUFFICIENT_SIZE`, which writes the
 * needed size to `*out_n`), so it can be called again with a bigger buffer.
 *
 * # Safety
 *
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_last_error_message(uint8_t *buf, size_t buf_len, size_t *out_n);

/**
 * Copy the platform `resultcode` of the calling thread's last error into
 * `buf` (such as `"1012010"`, not NUL-terminated; its length is written to
 * `*out_n`).
 *
 * Two kinds of failure carry one:
 * - the platform's answers (`privnum_op_parse`): every
 *   `PRIVNUM_RESULT_PLATFORM_*` result has the `resultcode` the platform
 *   sent (with the HTTP status, `privnum_last_error_http_status`);
 * - local checks that the platform would refuse the same way: a binding
 *   rule (`PRIVNUM_RESULT_RULE_VIOLATION`, from the engine or from
 *   validating a request in `privnum_op_sign`) or an exhausted pool
 *   (`PRIVNUM_RESULT_POOL_EXHAUSTED`) carry the code the platform answers
 *   with.
 *
 * The code is stored with the message, by the same failing calls, and
 * replaced with it: a later failure without a platform code clears it, and
 * successful calls leave it unchanged, so read it right after the failing
 * call, on the same thread. `privnum_engine_execute` reports a refused
 * command inside its JSON answer (`"platform_code"`) and returns
 * `PRIVNUM_RESULT_OK`, so such an answer does not touch the last error.
 * The text can be passed to `privnum_result_code_action` and the other
 * `privnum_result_code_*` lookups.
 *
 * Returns `PRIVNUM_RESULT_INVALID_ARGUMENT`, without writing `*out_n`, when
 * the last error has no platform code (or the thread has not failed yet);
 * `PRIVNUM_RESULT_NULL_PARAMETER` for a NULL `out_n`, or a NULL `buf` with
 * a non-zero `buf_len`; `PRIVNUM_RESULT_INSUFFICIENT_SIZE` as usual. Like
 * `privnum_last_error_message`, it never changes the last error, not even
 * when it fails itself.
 *
 * # Safety
 *
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_last_error_platform_code(uint8_t *buf, size_t buf_len, size_t *out_n);

/**
 * Copy the request field at fault in the calling thread's last error into
 * `buf` (its wire name, such as `"calleeNum"` or `"extendNum"`; UTF-8, not
 * NUL-terminated; its length is written to `*out_n`).
 *
 * Engine errors that concern one field of a request name it: binding rules
 * about one field (a party already bound on X, a value out of bounds), and
 * invalid extensions, binding ids and area codes (for example
 * `privnum_engine_route` with a malformed extension names `"extendNum"`).
 * The field is stored and replaced with the message, exactly like the
 * platform code (see `privnum_last_error_platform_code`): a later
 * failure that names no field clears it, successful calls leave it
 * unchanged, and `privnum_engine_execute` reports it inside its answer
 * instead.
 *
 * Returns `PRIVNUM_RESULT_INVALID_ARGUMENT`, without writing `*out_n`, when
 * the last error names no field (or the thread has not failed yet); other
 * results and the guarantee never to change the last error are as for
 * `privnum_last_error_platform_code`.
 *
 * # Safety
 *
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_last_error_field(uint8_t *buf, size_t buf_len, size_t *out_n);

/**
 * Write the HTTP status of the platform answer behind the calling thread's
 * last error to `*out`: set by `privnum_op_parse` for every
 * `PRIVNUM_RESULT_PLATFORM_*` and `PRIVNUM_RESULT_RESPONSE_INVALID`
 * failure (for example 401 with resultcode 1010010, or 502 for a gateway's
 * HTML page), stored and replaced with the message like the platform code.
 *
 * Returns `PRIVNUM_RESULT_INVALID_ARGUMENT`, without writing `*out`, when
 * the last error did not come from an answer (or the thread has not failed
 * yet); `PRIVNUM_RESULT_NULL_PARAMETER` for a NULL `out`. Never changes the
 * last error, not even when it fails itself.
 *
 * # Safety
 *
 * `out` must be NULL or valid for writing a `uint16_t`.
 */
privnum_result privnum_last_error_http_status(uint16_t *out);

/**
 * Count the segments the UTF-8 `text` is sent in and write them to `*out`.
 *
 * Any character outside the GSM 03.38 default alphabet makes the whole
 * text UCS-2; an escape pair (GSM-7) or surrogate pair (UCS-2) never
 * straddles two segments; the empty text is one segment.
 *
 * `ax_b` NULL counts `text` as it is. Otherwise it counts an AX-mode
 * message from A to the privacy number X as A's handset sends it: `text`
 * followed by `@` and the E.164 form of `*ax_b`, the real receiver B (the
 * platform strips the suffix before forwarding). Pass the body without the
 * suffix. Invalid `*ax_b` bits give `PRIVNUM_RESULT_INVALID_ARGUMENT`.
 *
 * `*out` is written only on success.
 *
 * # Safety
 *
 * `text` must be NULL (only with `text_len == 0`) or point to `text_len`
 * readable bytes; `ax_b` must be NULL or point to a `privnum_number`; `out`
 * must be valid for writing a `privnum_segment_count`.
 */
privnum_result privnum_sms_segments(const uint8_t *text,
                                    size_t text_len,
                                    const struct privnum_number *ax_b,
                                    struct privnum_segment_count *out);

/**
 * Read the AX-mode `@<B number>` suffix of the UTF-8 SMS `text` and write
 * the result to `*out`. In AX mode A must end a text to X with `@` (ASCII)
 * and B's number; the platform strips it and forwards the rest to B, and
 * asks the customer in Block mode when it is missing or garbled. The last
 * `@` counts. `*out` is written only on success; its views point into `text`.
 *
 * # Safety
 *
 * `text` must be NULL (only with `text_len == 0`) or point to `text_len`
 * readable bytes; `out` must be valid for writing a `privnum_ax_suffix`.
 */
privnum_result privnum_sms_ax_suffix(const uint8_t *text,
                                     size_t text_len,
                                     struct privnum_ax_suffix *out);

/**
 * The static, NUL-terminated name of a `PRIVNUM_SMS_ENCODING_*` value
 * (`"gsm7"`, `"ucs2"`), or NULL for an unknown value. Do not free.
 */
const char *privnum_sms_encoding_name(uint32_t encoding);

/**
 * The static, NUL-terminated name of a `PRIVNUM_SCHEME_*` value (`"aksk"`,
 * `"wsse"`), or NULL for an unknown value. Do not free.
 */
const char *privnum_scheme_name(uint32_t scheme);

/**
 * The static, NUL-terminated name of the header that carries the token for
 * a `PRIVNUM_SCHEME_*` value (`"X-AKSK"`, `"X-WSSE"`), or NULL for an
 * unknown value. Do not free.
 */
const char *privnum_scheme_header_name(uint32_t scheme);

/**
 * The static, NUL-terminated constant value of the `Authorization` header
 * for a `PRIVNUM_SCHEME_*` value
 * (`AKSK realm="SDP",profile="UsernameToken",type="Appkey"`), or NULL for an
 * unknown value. Do not free.
 */
const char *privnum_scheme_authorization(uint32_t scheme);

/**
 * Create a signer for the application with this key and secret (UTF-8) and
 * write it to `*out`.
 *
 * The app key must be 1-128 printable ASCII characters without quotes,
 * backslashes or spaces (`PRIVNUM_RESULT_INVALID_APP_KEY`); the secret must
 * not be empty (`PRIVNUM_RESULT_INVALID_APP_SECRET`). The secret is copied;
 * the copy is zeroed when the signer is freed.
 *
 * Ownership: on success the caller owns `*out` and must release it with
 * `privnum_signer_free`. `*out` is written only on success.
 *
 * # Safety
 *
 * `app_key` and `app_secret` must each be NULL (only with a zero length)
 * or point to that many readable bytes; `out` must be valid for writing a
 * pointer.
 */
privnum_result privnum_signer_new(const uint8_t *app_key,
                                  size_t app_key_len,
                                  const uint8_t *app_secret,
                                  size_t app_secret_len,
                                  struct privnum_signer **out);

/**
 * Write to `*out` another handle to the same signer (reference counted, no
 * copy is made). Each handle is released with its own `privnum_signer_free`,
 * in any order and from any thread.
 *
 * # Safety
 *
 * `signer` must be a live handle; `out` must be valid for writing a pointer.
 */
privnum_result privnum_signer_clone(const struct privnum_signer *signer,
                                    struct privnum_signer **out);

/**
 * Release a signer handle. NULL does nothing.
 *
 * # Safety
 *
 * `signer` must be NULL or a live handle from `privnum_signer_new` or
 * `privnum_signer_clone`; it must not be used afterwards (other handles to
 * the same signer stay valid).
 */
void privnum_signer_free(struct privnum_signer *signer);

/**
 * Sign one request: write the value of the token header (`UsernameToken
 * Username="...", PasswordDigest="...", Nonce="...", Created="..."`) to
 * `buf`, not NUL-terminated, and its length to `*out_n`.
 *
 * Send it under the header named by `privnum_scheme_header_name(scheme)`,
 * together with `Authorization: ` and `privnum_scheme_authorization(scheme)`.
 *
 * * `scheme`: `PRIVNUM_SCHEME_AKSK` or `PRIVNUM_SCHEME_WSSE`
 *   (otherwise `PRIVNUM_RESULT_INVALID_ARGUMENT`).
 * * `nonce`: 1-128 ASCII letters and digits (`PRIVNUM_RESULT_INVALID_NONCE`),
 *   or NULL for a fresh random nonce of 32 hex digits (`nonce_len` is then
 *   ignored). Never reuse a nonce.
 * * `created`: the signing time as `yyyy-MM-ddTHH:mm:ssZ` (UTC), exactly
 *   (`PRIVNUM_RESULT_INVALID_CREATED`), or NULL for the system clock now
 *   (`created_len` is then ignored).
 *
 * With NULL nonce and created every call gives a new token, but always of
 * the same length for a given signer and scheme, so the size reported by
 * `PRIVNUM_RESULT_INSUFFICIENT_SIZE` is right for the retry. 512 bytes
 * always suffice.
 *
 * # Safety
 *
 * `signer` must be a live handle; `nonce` and `created` must each be NULL
 * or point to that many readable bytes; `buf` must be NULL (only with
 * `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
 * valid for writing a `size_t`.
 */
privnum_result privnum_signer_sign(const struct privnum_signer *signer,
                                   uint32_t scheme,
                                   const uint8_t *nonce,
                                   size_t nonce_len,
                                   const uint8_t *created,
                                   size_t created_len,
                                   uint8_t *buf,
                                   size_t buf_len,
                                   size_t *out_n);

/**
 * Write the `PasswordDigest` that `privnum_signer_sign` puts into the token
 * for this `nonce` and `created` (both required), without validating them.
 * Output as `privnum_signer_sign`; useful for checking against published
 * test vectors.
 *
 * # Safety
 *
 * As for `privnum_signer_sign`, except that `nonce` and `created` may be
 * NULL only with a zero length (the empty string).
 */
privnum_result privnum_signer_digest(const struct privnum_signer *signer,
                                     uint32_t scheme,
                                     const uint8_t *nonce,
                                     size_t nonce_len,
                                     const uint8_t *created,
                                     size_t created_len,
                                     uint8_t *buf,
                                     size_t buf_len,
                                     size_t *out_n);

/**
 * Format `unix_time` (Unix seconds) as a `Created` time, `yyyy-MM-ddTHH:mm:ssZ` (UTC,
 * always `PRIVNUM_CREATED_LEN` bytes, not NUL-terminated), into `buf`, with
 * its length in `*out_n`. Years outside 0000-9999 give
 * `PRIVNUM_RESULT_INVALID_CREATED`.
 *
 * # Safety
 *
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_format_created(int64_t unix_time,
                                      uint8_t *buf,
                                      size_t buf_len,
                                      size_t *out_n);

/**
 * Parse a `Created` time into Unix seconds, written to `*out`.
 *
 * Accepted: `yyyy-MM-ddTHH:mm:ss`, an optional fraction (`.SSS`), then `Z`,
 * `+00:00` or nothing (read as UTC). Anything else gives
 * `PRIVNUM_RESULT_INVALID_CREATED`. `*out` is written only on success.
 *
 * # Safety
 *
 * `created` must be NULL (only with `created_len == 0`) or point to
 * `created_len` readable bytes; `out` must be valid for writing an
 * `int64_t`.
 */
privnum_result privnum_parse_created(const uint8_t *created, size_t created_len, int64_t *out);

/**
 * Write a fresh nonce from the OS random source (32 upper-case hex digits,
 * 128 bits; not NUL-terminated) to `buf`, with its length in `*out_n`.
 * Fails with `PRIVNUM_RESULT_RANDOM_UNAVAILABLE` if the random source does.
 *
 * # Safety
 *
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_generate_nonce(uint8_t *buf, size_t buf_len, size_t *out_n);

/**
 * Write the default verifier settings to `*out`.
 *
 * # Safety
 *
 * `out` must be valid for writing a `privnum_verifier_config`.
 */
privnum_result privnum_verifier_config_default(struct privnum_verifier_config *out);

/**
 * Create a verifier for the application with this key and secret (UTF-8)
 * and write it to `*out`. `config` may be NULL for the defaults (see
 * `privnum_verifier_config_default`).
 *
 * Fails with `PRIVNUM_RESULT_INVALID_APP_KEY` or
 * `PRIVNUM_RESULT_INVALID_APP_SECRET` as `privnum_signer_new` does.
 *
 * Ownership: on success the caller owns `*out` and must release it with
 * `privnum_verifier_free`. `*out` is written only on success.
 *
 * # Safety
 *
 * `app_key` and `app_secret` must each be NULL (only with a zero length)
 * or point to that many readable bytes; `config` must be NULL or point to
 * an initialised `privnum_verifier_config`; `out` must be valid for
 * writing a pointer.
 */
privnum_result privnum_verifier_new(const uint8_t *app_key,
                                    size_t app_key_len,
                                    const uint8_t *app_secret,
                                    size_t app_secret_len,
                                    const struct privnum_verifier_config *config,
                                    struct privnum_verifier **out);

/**
 * Write to `*out` another handle to the same verifier (reference counted;
 * the replay cache is shared, not copied). Each handle is released with its
 * own `privnum_verifier_free`, in any order and from any thread.
 *
 * # Safety
 *
 * `verifier` must be a live handle; `out` must be valid for writing a
 * pointer.
 */
privnum_result privnum_verifier_clone(const struct privnum_verifier *verifier,
                                      struct privnum_verifier **out);

/**
 * Release a verifier handle. NULL does nothing.
 *
 * # Safety
 *
 * `verifier` must be NULL or a live handle from `privnum_verifier_new` or
 * `privnum_verifier_clone`; it must not be used afterwards (other handles
 * to the same verifier stay valid).
 */
void privnum_verifier_free(struct privnum_verifier *verifier);

/**
 * Verify a request from its headers at `now` (Unix seconds) and write the
 * result to `*out`.
 *
 * `X-AKSK` is used when present, else `X-WSSE`; `Authorization`, when
 * present, must name the same scheme; other headers are ignored (but every
 * name and value passed must be UTF-8, else `PRIVNUM_RESULT_INVALID_UTF8`,
 * so pass only these three if others may not be). Checks run in this order
 * and the first failure is returned: `PRIVNUM_RESULT_AUTH_MISSING`,
 * `PRIVNUM_RESULT_AUTH_MALFORMED`, `PRIVNUM_RESULT_AUTH_WRONG_KEY`,
 * `PRIVNUM_RESULT_AUTH_BAD_DIGEST`, `PRIVNUM_RESULT_AUTH_STALE`,
 * `PRIVNUM_RESULT_AUTH_REPLAYED`.
 *
 * On success the nonce is remembered, so the same request is refused as a
 * replay next time; if processing the request then fails, call
 * `privnum_verifier_forget` so that the platform's redelivery is accepted.
 * `*out` is written only on success. Safe to call from several threads at
 * once on the same verifier.
 *
 * # Safety
 *
 * `verifier` must be a live handle; `headers` must be NULL (only with
 * `n_headers == 0`) or point to `n_headers` headers whose texts follow the
 * input text rules; `out` must be valid for writing a `privnum_verified`.
 */
privnum_result privnum_verifier_verify(const struct privnum_verifier *verifier,
                                       const struct privnum_header *headers,
                                       size_t n_headers,
                                       int64_t now,
                                       struct privnum_verified *out);

/**
 * Forget an accepted nonce, so that a redelivery of the same request is
 * accepted again (use it when processing the request failed). Forgetting a
 * nonce that is not remembered does nothing and succeeds.
 *
 * # Safety
 *
 * `verifier` must be a live handle; `nonce` must be NULL (only with
 * `nonce_len == 0`) or point to `nonce_len` readable bytes.
 */
privnum_result privnum_verifier_forget(const struct privnum_verifier *verifier,
                                       const uint8_t *nonce,
                                       size_t nonce_len);

/**
 * Verify a call-control query's parameters (the signature among them,
 * URL-encoded or decoded) with `verifier` at `now` (Unix seconds), read its
 * business parameters, and write a new query handle to `*out`. The
 * parameters are copied; `params` may be reused as soon as the call returns.
 *
 * `verifier` is normally made with `PRIVNUM_PARAMS_PROFILE_CALL_CONTROL`.
 * Fails as `privnum_params_verifier_verify` does
 * (`PRIVNUM_RESULT_AUTH_MISSING`, `PRIVNUM_RESULT_AUTH_MALFORMED`,
 * `PRIVNUM_RESULT_AUTH_BAD_DIGEST`, `PRIVNUM_RESULT_AUTH_STALE`,
 * `PRIVNUM_RESULT_AUTH_REPLAYED`), and with
 * `PRIVNUM_RESULT_PUSH_MISSING_FIELD` when `callNo` or `secretNo` is missing
 * or empty; in that case the verified nonce is forgotten again, so a
 * corrected query with the same nonce is not refused as a replay. On success
 * the nonce is remembered (see `privnum_params_verifier_forget`). Safe to
 * call from several threads at once on the same verifier.
 *
 * Ownership: on success the caller owns `*out` and must release it with
 * `privnum_call_control_free`. `*out` is written only on success.
 *
 * # Safety
 *
 * `verifier` must be a live handle; `params` must be NULL (only with
 * `n_params == 0`) or point to `n_params` parameters whose texts follow the
 * input text rules; `out` must be valid for writing a pointer.
 */
privnum_result privnum_call_control_receive(const struct privnum_params_verifier *verifier,
                                            const struct privnum_param *params,
                                            size_t n_params,
                                            int64_t now,
                                            struct privnum_call_control **out);

/**
 * Read the business parameters of a call-control query WITHOUT checking
 * its signature, timestamp or nonce (for queries verified upstream; use
 * `privnum_call_control_receive` otherwise) and write a new query handle to
 * `*out`. The parameters are copied; `params` may be reused as soon as the
 * call returns.
 *
 * Fails with `PRIVNUM_RESULT_PUSH_MISSING_FIELD` when `callNo` or
 * `secretNo` is missing or empty.
 *
 * Ownership: on success the caller owns `*out` and must release it with
 * `privnum_call_control_free`. `*out` is written only on success.
 *
 * # Safety
 *
 * `params` must be NULL (only with `n_params == 0`) or point to `n_params`
 * parameters whose texts follow the input text rules; `out` must be valid
 * for writing a pointer.
 */
privnum_result privnum_call_control_parse(const struct privnum_param *params,
                                          size_t n_params,
                                          struct privnum_call_control **out);

/**
 * Write to `*out` another handle to the same query (reference counted, no
 * copy). Views read from the query stay valid while any handle to it is
 * alive.
 *
 * # Safety
 *
 * `query` must be a live handle; `out` must be valid for writing a pointer.
 */
privnum_result privnum_call_control_clone(const struct privnum_call_control *query,
                                          struct privnum_call_control **out);

/**
 * Release a query handle. NULL does nothing. The views read from the query
 * become invalid when its last handle is released.
 *
 * # Safety
 *
 * `query` must be NULL or a live handle from `privnum_call_control_receive`,
 * `privnum_call_control_parse` or `privnum_call_control_clone`; it must not
 * be used afterwards.
 */
void privnum_call_control_free(struct privnum_call_control *query);

/**
 * Read the business parameters of a query into `*out`. Its text fields are
 * views into the query, valid until the query is freed (its last handle
 * released with `privnum_call_control_free`); copy what must outlive it.
 * `*out` is written only on success.
 *
 * # Safety
 *
 * `query` must be a live handle; `out` must be valid for writing a
 * `privnum_call_control_query`.
 */
privnum_result privnum_call_control_get(const struct privnum_call_control *query,
                                        struct privnum_call_control_query *out);

/**
 * Whether the query's signature was checked (it came from
 * `privnum_call_control_receive`); false for `privnum_call_control_parse`
 * and if `query` is NULL.
 *
 * # Safety
 *
 * `query` must be NULL or a live handle.
 */
bool privnum_call_control_is_verified(const struct privnum_call_control *query);

/**
 * Write the result of the query's signature check (the encoding and key
 * reading that matched, and the timestamp) to `*out`. Fails with
 * `PRIVNUM_RESULT_INVALID_ARGUMENT` if the query was not verified (it came
 * from `privnum_call_control_parse`). `*out` is written only on success.
 *
 * # Safety
 *
 * `query` must be a live handle; `out` must be valid for writing a
 * `privnum_params_verified`.
 */
privnum_result privnum_call_control_verified(const struct privnum_call_control *query,
                                             struct privnum_params_verified *out);

/**
 * Create an in-memory engine from its configuration and write it to `*out`.
 *
 * `config_json` is a JSON object (UTF-8, not NUL-terminated):
 * `{"mode": "axb", "extension_digits": 4, "max_events": 65536,
 * "compact_after": 100000, "id_seed": 1, "fsync": "always"}`, where only
 * `mode` (`ax`, `axb`, `axe`, `axyb` or `x`) is required. `id_seed` makes
 * the ids the engine mints reproducible (tests); without it they are
 * random. An unknown key or mode, or a bad value, is
 * `PRIVNUM_RESULT_INVALID_ARGUMENT` (the last error says which).
 *
 * Ownership: on success the caller owns `*out` and must release it with
 * `privnum_engine_free`. `*out` is written only on success.
 *
 * # Safety
 *
 * `config_json` must be NULL (only with `config_len == 0`) or point to
 * `config_len` readable bytes; `out` must be valid for writing a pointer.
 */
privnum_result privnum_engine_new(const uint8_t *config_json,
                                  size_t config_len,
                                  struct privnum_engine **out);

/**
 * Open (or create) a durable engine kept in the directory `dir` and write
 * it to `*out`; if `out_report` is not NULL, also write what was found
 * there to `*out_report`.
 *
 * `dir` is a UTF-8 path (not NUL-terminated); the directory is created if
 * missing. The state found there is restored (snapshot, then journal); a
 * torn last record, left by a crash in the middle of writing a change that
 * was never acknowledged, is cut off and reported. From then on every
 * change is appended to the journal, and with `"fsync": "always"` (the
 * default) synced, before the call that made it returns. `config_json` is
 * as for `privnum_engine_new`; it must name the mode and extension digits
 * the directory was written with (else `PRIVNUM_RESULT_INVALID_ARGUMENT`).
 *
 * Fails with `PRIVNUM_RESULT_JOURNAL_IO` when the directory cannot be read
 * or written, `PRIVNUM_RESULT_JOURNAL_CORRUPT` when its content is damaged
 * beyond a torn last record. Only one engine may use a directory at a time.
 *
 * Ownership: on success the caller owns `*out` and must release it with
 * `privnum_engine_free` (which closes the journal). `*out` and
 * `*out_report` are written only on success.
 *
 * # Safety
 *
 * `dir` and `config_json` must each be NULL (only with a zero length) or
 * point to that many readable bytes; `out` must be valid for writing a
 * pointer; `out_report` must be NULL or valid for writing a
 * `privnum_open_report`.
 */
privnum_result privnum_engine_open(const uint8_t *dir,
                                   size_t dir_len,
                                   const uint8_t *config_json,
                                   size_t config_len,
                                   struct privnum_engine **out,
                                   struct privnum_open_report *out_report);

/**
 * Write to `*out` another handle to the same engine (reference counted, no
 * copy: both see the same bindings).
 *
 * # Safety
 *
 * `engine` must be a live handle; `out` must be valid for writing a pointer.
 */
privnum_result privnum_engine_clone(const struct privnum_engine *engine,
                                    struct privnum_engine **out);

/**
 * Release an engine handle. NULL does nothing. When the last handle is
 * released the engine is dropped (a durable engine's journal is closed;
 * every acknowledged change is already in it).
 *
 * # Safety
 *
 * `engine` must be NULL or a live handle from `privnum_engine_new`,
 * `privnum_engine_open` or `privnum_engine_clone`, not in use by another
 * call, and not used afterwards.
 */
void privnum_engine_free(struct privnum_engine *engine);

/**
 * Run one engine command and write its JSON answer to `buf` (UTF-8, not
 * NUL-terminated; its length to `*out_n`).
 *
 * The command is a JSON object with `"op"` and the operation's fields, for
 * example `{"op":"bind","now":1714550400,"request":{"shape":"pair",
 * "a":"+8613800000021","b":"+8613800000022","x":{"given":"+8617000000010"}}}`;
 * every operation of the engine is available (`bind`, `request_bind`,
 * `check_bind`, `settle`, `modify`, `request_modify`, `unbind`,
 * `request_unbind`, `unbind_x`, `temp_callee`, `tick`, `x_status`,
 * `pool_add`, `pool_remove`, `route`, `get`, `bindings_on`, `find_party`,
 * `owned_by`, `relations`, `events`, `pressure`, `len`). The answer is
 * compact JSON: `{"ok":<value>}`, or `{"error":{"kind":"RULE_VIOLATION",
 * "code":400,"platform_code":"1012010","field":"calleeNum","message":"..."}}`
 * where `kind`/`code` are the name and number of the `PRIVNUM_RESULT_*`
 * code, `platform_code` the platform's `resultcode` (or null) and `field`
 * the request field at fault (or null).
 *
 * Returns `PRIVNUM_RESULT_OK` whenever an answer was written, INCLUDING an
 * `{"error":...}` answer (a refused or malformed command): look inside the
 * answer, not at the result code, to know whether the command succeeded.
 * Other result codes mean no answer was written: a NULL or invalid
 * argument (`engine`, `out_n`, `cmd_json` with a non-zero length, `buf`
 * with a non-zero `buf_len`; the command is then NOT run), `cmd_json` not
 * UTF-8, or `PRIVNUM_RESULT_INSUFFICIENT_SIZE`, below.
 *
 * A too-small buffer never makes a command run twice. Every call that gets
 * past the argument checks runs its command exactly once. If the answer
 * does not fit (`PRIVNUM_RESULT_INSUFFICIENT_SIZE`, with the needed size in
 * `*out_n` and `buf` untouched), the command HAS been run (a `bind` is
 * applied) and its answer is held in a slot of the calling thread. Get it
 * with either:
 * - `privnum_engine_take_answer` on the same thread, with a big enough
 *   buffer; or
 * - the usual size protocol: repeat this call on the same thread with the
 *   same engine and byte-identical `cmd_json` and a buffer of `*out_n`
 *   bytes. Such an identical retry delivers the held answer and does NOT
 *   run the command again.
 *
 * The slot holds one answer per thread; any other `privnum_engine_execute`
 * call on that thread (another command or another engine) discards it
 * first, as does delivering it. It is freed when the thread exits.
 * Answers have no fixed upper size (`bindings_on`, `events` and similar
 * list many bindings); 4096 bytes suffice for a single binding, a route or
 * an error.
 *
 * Thread-safe: any number of threads may execute commands on the same
 * engine at once; each thread has its own held-answer slot.
 *
 * # Safety
 *
 * `engine` must be a live handle; `cmd_json` must be NULL (only with
 * `cmd_len == 0`) or point to `cmd_len` readable bytes; `buf` must be NULL
 * (only with `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n`
 * must be valid for writing a `size_t`.
 */
privnum_result privnum_engine_execute(const struct privnum_engine *engine,
                                      const uint8_t *cmd_json,
                                      size_t cmd_len,
                                      uint8_t *buf,
                                      size_t buf_len,
                                      size_t *out_n);

/**
 * Copy the answer held on the calling thread (the answer of this thread's
 * last `privnum_engine_execute`, which returned
 * `PRIVNUM_RESULT_INSUFFICIENT_SIZE`) to `buf` and release it; output as
 * for `privnum_engine_execute`.
 *
 * If it still does not fit, returns `PRIVNUM_RESULT_INSUFFICIENT_SIZE` with
 * the needed size in `*out_n` and keeps holding it. Returns
 * `PRIVNUM_RESULT_INVALID_ARGUMENT` when the thread holds no answer.
 *
 * # Safety
 *
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_engine_take_answer(uint8_t *buf, size_t buf_len, size_t *out_n);

/**
 * Decide a call that reaches `dialled` (X, or Y in AXYB) from `caller` at
 * `now` (Unix seconds), and write the decision to `*out`: the typed fast
 * path of the `route` command, for answering the platform's X-mode
 * `callin` push within its deadline.
 *
 * `ext` is the extension keyed in (AXE; 1-4 ASCII digits, UTF-8, not
 * NUL-terminated): NULL with `ext_len == 0`, or `ext_len == 0`, means none.
 * A malformed extension is `PRIVNUM_RESULT_INVALID_ARGUMENT`, as are
 * numbers whose bits no parse produced.
 *
 * A closed call is a successful decision (`PRIVNUM_RESULT_OK`, `connect`
 * false). Routing takes the engine's read lock (and, for AXE extension
 * calls, a short lock on the callback records: a call connected through
 * X and an extension is remembered, so that A calling X reaches that
 * party); it never waits for a journal write or fsync, and allocates
 * nothing beyond what core's decision does. `*out` is written only on
 * success.
 *
 * # Safety
 *
 * `engine` must be a live handle; `ext` must be NULL (only with
 * `ext_len == 0`) or point to `ext_len` readable bytes; `out` must be valid
 * for writing a `privnum_route`.
 */
privnum_result privnum_engine_route(const struct privnum_engine *engine,
                                    struct privnum_number caller,
                                    struct privnum_number dialled,
                                    const uint8_t *ext,
                                    size_t ext_len,
                                    uint64_t now,
                                    struct privnum_route *out);

/**
 * How many bindings the engine holds (in any non-terminal state); 0 if
 * `engine` is NULL.
 *
 * # Safety
 *
 * `engine` must be NULL or a live handle.
 */
size_t privnum_engine_len(const struct privnum_engine *engine);

/**
 * Bytes of memory the engine's records and indexes use (from their
 * capacities, without the allocator's own overhead); 0 if `engine` is NULL.
 *
 * # Safety
 *
 * `engine` must be NULL or a live handle.
 */
size_t privnum_engine_memory_bytes(const struct privnum_engine *engine);

/**
 * Write the engine's mode (`PRIVNUM_MODE_*`) to `*out`. `*out` is written
 * only on success.
 *
 * # Safety
 *
 * `engine` must be a live handle; `out` must be valid for writing a
 * `uint32_t`.
 */
privnum_result privnum_engine_mode(const struct privnum_engine *engine, uint32_t *out);

/**
 * The static, NUL-terminated snake_case name of a close reason
 * (`"no_binding"` for `PRIVNUM_CLOSE_NO_BINDING`, as in the `route`
 * command's answer), or NULL for a value that is not a `PRIVNUM_CLOSE_*`
 * reason (including `PRIVNUM_CLOSE_NONE`). Do not free.
 */
const char *privnum_close_reason_name(uint32_t reason);

/**
 * The static, NUL-terminated lower-case name of a mode (`"axb"` for
 * `PRIVNUM_MODE_AXB`, as in an engine config), or NULL for a value that is
 * not a `PRIVNUM_MODE_*`. Do not free.
 */
const char *privnum_mode_name(uint32_t mode);

/**
 * Build the operation `name` (for example `"axb.bind"`; the names are those
 * of core's `client::any::NAMES`) from `args_json`, a JSON object keyed by
 * the specification's wire names (`callerNum`, …; snake case is accepted
 * too), with numbers as people type them. NULL or empty `args_json` means
 * no arguments. On success writes a new handle to `*out`.
 *
 * Errors: an unknown name or argument, a value of the wrong type, a missing
 * or conflicting argument are `PRIVNUM_RESULT_INVALID_ARGUMENT`, a number
 * that does not parse its `PRIVNUM_RESULT_NUMBER_*` code; each names the
 * wire field (`privnum_last_error_field`). The rest of the validation
 * happens when signing (`privnum_op_sign`), where the platform's own rules
 * apply.
 *
 * # Safety
 *
 * `name` and `args_json` must each be NULL (only with a zero length) or
 * point to that many readable bytes; `out` must be valid for writing a
 * pointer.
 */
privnum_result privnum_op_new(const uint8_t *name,
                              size_t name_len,
                              const uint8_t *args_json,
                              size_t args_len,
                              struct privnum_op **out);

/**
 * Write another handle to the same operation to `*out`.
 *
 * # Safety
 *
 * `op` must be a live handle; `out` must be valid for writing a pointer.
 */
privnum_result privnum_op_clone(const struct privnum_op *op, struct privnum_op **out);

/**
 * Release a handle made by `privnum_op_new` or `privnum_op_clone`; NULL
 * does nothing.
 *
 * # Safety
 *
 * `op` must be NULL or a live handle, not used again.
 */
void privnum_op_free(struct privnum_op *op);

/**
 * The operation's name as `privnum_op_new` takes it (`"axb.query"`): a
 * static NUL-terminated string, never to be freed; NULL for a NULL `op`.
 *
 * # Safety
 *
 * `op` must be NULL or a live handle.
 */
const char *privnum_op_name(const struct privnum_op *op);

/**
 * Whether an attempt of this operation whose outcome is unknown (a timeout
 * after sending, a lost connection, `PRIVNUM_RESULT_PLATFORM_RETRY`) may be
 * sent again as it is, signed afresh: true for queries, unbinds and
 * modifications; false for binds, which must be settled by a query because
 * the lost attempt may have bound. False for a NULL `op`.
 *
 * # Safety
 *
 * `op` must be NULL or a live handle.
 */
bool privnum_op_idempotent(const struct privnum_op *op);

/**
 * Validate the operation against the platform's rules and sign it with
 * X-AKSK: on success writes a new request handle to `*out`.
 *
 * `nonce` (1-128 ASCII letters and digits) and `created`
 * (`yyyy-MM-ddTHH:mm:ssZ`, UTC) fix the signature, for tests; NULL takes a
 * fresh random nonce and the system clock now, which is what every real
 * attempt must use (never reuse a nonce).
 *
 * Errors: the platform's rules as typed results naming the field
 * (`PRIVNUM_RESULT_RULE_VIOLATION` with platform code `"1010002"`,
 * `PRIVNUM_RESULT_FIELD_OUT_OF_BOUNDS`, `PRIVNUM_RESULT_INVALID_ARGUMENT`),
 * `PRIVNUM_RESULT_INVALID_NONCE`, `PRIVNUM_RESULT_INVALID_CREATED`.
 *
 * # Safety
 *
 * `op` and `signer` must be live handles; `nonce` and `created` must each
 * be NULL or point to that many readable bytes; `out` must be valid for
 * writing a pointer.
 */
privnum_result privnum_op_sign(const struct privnum_op *op,
                               const struct privnum_signer *signer,
                               const uint8_t *nonce,
                               size_t nonce_len,
                               const uint8_t *created,
                               size_t created_len,
                               struct privnum_request **out);

/**
 * Read the platform's answer to this operation: HTTP `status`, the
 * `Location` header (NULL when the answer had none; recording downloads
 * answer 301 with it) and the body as received. On success writes the
 * output as compact JSON (snake-case keys, absent values left out, `{}` for
 * operations without output) to `buf`, not NUL-terminated, with its length
 * in `*out_n`; on `PRIVNUM_RESULT_INSUFFICIENT_SIZE` call again with a
 * bigger buffer (parsing is pure: nothing happens twice). 4096 bytes
 * suffice for anything but a query's page of bindings.
 *
 * A refusal is a `PRIVNUM_RESULT_PLATFORM_*` result chosen by what to do
 * about it (retry, back off, fix input, …); an unreadable answer is
 * `PRIVNUM_RESULT_RESPONSE_INVALID`. Either way the last error carries the
 * message (what the code means, then the platform's description, phone
 * numbers masked), the platform's `resultcode`
 * (`privnum_last_error_platform_code`) and the HTTP status
 * (`privnum_last_error_http_status`).
 *
 * # Safety
 *
 * `op` must be a live handle; `location` and `body` must each be NULL (for
 * `body` only with `body_len == 0`) or point to that many readable bytes;
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_op_parse(const struct privnum_op *op,
                                uint16_t status,
                                const uint8_t *location,
                                size_t location_len,
                                const uint8_t *body,
                                size_t body_len,
                                uint8_t *buf,
                                size_t buf_len,
                                size_t *out_n);

/**
 * Write another handle to the same request to `*out`.
 *
 * # Safety
 *
 * `request` must be a live handle; `out` must be valid for writing a
 * pointer.
 */
privnum_result privnum_request_clone(const struct privnum_request *request,
                                     struct privnum_request **out);

/**
 * Release a handle made by `privnum_op_sign` or `privnum_request_clone`;
 * NULL does nothing. The views it gave become invalid with its last handle.
 *
 * # Safety
 *
 * `request` must be NULL or a live handle, not used again.
 */
void privnum_request_free(struct privnum_request *request);

/**
 * Fill `*out` with views of the request's method, path and query, body and
 * its number of headers.
 *
 * # Safety
 *
 * `request` must be a live handle; `out` must be valid for writing a
 * `privnum_request_parts`.
 */
privnum_result privnum_request_get(const struct privnum_request *request,
                                   struct privnum_request_parts *out);

/**
 * Fill `*name` and `*value` with views of header number `index` (from 0, in
 * the order to send them). An index past the last header is
 * `PRIVNUM_RESULT_INVALID_ARGUMENT`. The `X-AKSK` value is a credential:
 * send it, never log it.
 *
 * # Safety
 *
 * `request` must be a live handle; `name` and `value` must be valid for
 * writing a `privnum_str` each.
 */
privnum_result privnum_request_header(const struct privnum_request *request,
                                      size_t index,
                                      struct privnum_str *name,
                                      struct privnum_str *value);

/**
 * Write the full URL, `base_url` (the application's access address such as
 * `https://host:port`, with or without a trailing `/`) followed by the path
 * and query, to `buf` (not NUL-terminated), with its length in `*out_n`.
 *
 * # Safety
 *
 * `request` must be a live handle; `base_url` must be NULL (only with
 * `base_len == 0`) or point to `base_len` readable bytes; `buf` must be
 * NULL (only with `buf_len == 0`) or valid for writing `buf_len` bytes;
 * `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_request_url(const struct privnum_request *request,
                                   const uint8_t *base_url,
                                   size_t base_len,
                                   uint8_t *buf,
                                   size_t buf_len,
                                   size_t *out_n);

/**
 * Start an emulator: check `config_json` (the configuration as JSON: the
 * port, the applications with their mode, key, secret, X numbers and push
 * URLs, push timing; the format is that of core's
 * `EmulatorConfig::from_json`, summarized in the README), listen on
 * 127.0.0.1 (the configured port, or a free one) and serve on background
 * threads. NULL or empty `config_json` starts the demo configuration: one
 * AXB application with key `emulator-app-key`, secret
 * `emulator-app-secret` and X numbers +8617000000010 to +8617000000013 in
 * area 0755. On success writes a new handle to `*out`.
 *
 * Errors: `PRIVNUM_RESULT_INVALID_ARGUMENT` naming the setting
 * (`apps[0].numbers[1].area`; `privnum_last_error_field` gives the key)
 * for a bad configuration or a port that cannot be listened on; a number
 * that does not parse gives its `PRIVNUM_RESULT_NUMBER_*` code; a bad key or
 * secret its `PRIVNUM_RESULT_INVALID_APP_*` code.
 *
 * # Safety
 *
 * `config_json` must be NULL (only with `len == 0`) or point to `len`
 * readable bytes; `out` must be valid for writing a pointer.
 */
privnum_result privnum_emulator_start(const uint8_t *config_json,
                                      size_t len,
                                      struct privnum_emulator **out);

/**
 * Write another handle to the same emulator to `*out`.
 *
 * # Safety
 *
 * `emulator` must be a live handle; `out` must be valid for writing a
 * pointer.
 */
privnum_result privnum_emulator_clone(const struct privnum_emulator *emulator,
                                      struct privnum_emulator **out);

/**
 * Release a handle; NULL does nothing. Releasing the last one stops the
 * emulator: it stops serving and delivering (pushes not yet delivered stay
 * undelivered; an attempt under way is finished, at most the push
 * timeout), joins its threads and closes its port, blocking until then.
 * Must not be called while a call on this handle is running.
 *
 * # Safety
 *
 * `emulator` must be NULL or a live handle, not used again.
 */
void privnum_emulator_free(struct privnum_emulator *emulator);

/**
 * Write the emulator's base URL (`http://127.0.0.1:PORT`, the application's
 * access address for `privnum_client_new` with `allow_http` set, or for
 * `privnum_request_url`) to `buf`, not NUL-terminated, with its length in
 * `*out_n`. 32 bytes always suffice.
 *
 * # Safety
 *
 * `emulator` must be a live handle; `buf` must be NULL (only with
 * `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
 * valid for writing a `size_t`.
 */
privnum_result privnum_emulator_base_url(const struct privnum_emulator *emulator,
                                         uint8_t *buf,
                                         size_t buf_len,
                                         size_t *out_n);

/**
 * Wait until no push is queued, batched, being sent or due for a retry, at
 * most `timeout_ms` milliseconds, blocking the calling thread; writes to
 * `*out_idle` whether that happened (pushes given up count as done).
 *
 * # Safety
 *
 * `emulator` must be a live handle; `out_idle` must be valid for writing a
 * `bool`.
 */
privnum_result privnum_emulator_wait_idle(const struct privnum_emulator *emulator,
                                          uint64_t timeout_ms,
                                          bool *out_idle);

/**
 * Run one operation of the emulator's control interface, in process (no
 * HTTP): the same operations and answers as `METHOD /_emulator/PATH` over
 * HTTP. `method` is `GET` or `POST`; `path` the operation and its query,
 * with or without the `/_emulator/` prefix; `body` its JSON body (NULL or
 * empty for none):
 *
 * - `GET apps`: the applications (no secrets);
 * - `GET bindings[?app_key=K]`: the bindings, per application;
 * - `POST calls` with `{"caller": "+86138…", "dialled": "+86170…",
 *   "outcome": "answered" | "no_answer" | "busy", "talk_secs": 30,
 *   "ring_secs": 5, "record": true}` (only `caller` and `dialled` required):
 *   simulate a call, routed by the bindings, its call events and CDR pushed
 *   to the application's URLs;
 * - `GET pushes`: every push (id, app_key, event, url, status, attempts,
 *   body);
 * - `GET deliveries`: every delivery attempt;
 * - `POST cdrs/flush`: send waiting CDRs now;
 * - `POST wait_idle?timeout_ms=N`: wait for the push queue to empty (at
 *   most 60 s).
 *
 * Writes the answer as JSON to `buf` (not NUL-terminated), length in
 * `*out_n`: `{"ok": …}`, or `{"error": {"kind", "code", "platform_code",
 * "field", "message"}}` for a refused or unknown operation, which still
 * returns `PRIVNUM_RESULT_OK`: look inside the answer. Other result codes
 * mean nothing was run (a NULL or non-UTF-8 argument) or
 * `PRIVNUM_RESULT_INSUFFICIENT_SIZE`: as with `privnum_client_call`, the
 * operation HAS run once (a call was simulated) and its answer is held on
 * the calling thread; fetch it with `privnum_emulator_take_answer` or by
 * repeating the identical call with a big enough buffer (not run again).
 * Answers of `pushes`, `deliveries` and `bindings` grow with the test.
 *
 * # Safety
 *
 * `emulator` must be a live handle; `method`, `path` and `body` must each
 * be NULL (only with a zero length) or point to that many readable bytes;
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_emulator_control(const struct privnum_emulator *emulator,
                                        const uint8_t *method,
                                        size_t method_len,
                                        const uint8_t *path,
                                        size_t path_len,
                                        const uint8_t *body,
                                        size_t body_len,
                                        uint8_t *buf,
                                        size_t buf_len,
                                        size_t *out_n);

/**
 * Copy the answer held on the calling thread (that of this thread's last
 * `privnum_emulator_control`, which returned
 * `PRIVNUM_RESULT_INSUFFICIENT_SIZE`) to `buf` and release it. If it still
 * does not fit, returns `PRIVNUM_RESULT_INSUFFICIENT_SIZE` with the needed
 * size and keeps it. `PRIVNUM_RESULT_INVALID_ARGUMENT` when the thread
 * holds none.
 *
 * # Safety
 *
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_emulator_take_answer(uint8_t *buf, size_t buf_len, size_t *out_n);

/**
 * Fill `*out` with the default settings (5 s connect, 10 s read and 30 s
 * total timeouts, HTTPS only, 3 attempts, back-off from 250 ms to 5 s, 60 s
 * after throttling, 50 % jitter).
 *
 * # Safety
 *
 * `out` must be valid for writing a `privnum_client_config`.
 */
privnum_result privnum_client_config_default(struct privnum_client_config *out);

/**
 * Make a client that sends through privnum's blocking HTTPS transport
 * (rustls with the Mozilla roots, no redirects followed, a fresh
 * connection per request, `config`'s timeouts) to `base_url`, the
 * application's access address (`https://host[:port]`; a trailing `/` is
 * ignored), signing with `signer` (the client keeps its own reference to
 * the signer's key: the signer may be freed afterwards). `config` NULL
 * means the defaults (`privnum_client_config_default`). On success writes
 * a new handle to `*out`.
 *
 * Errors: a malformed base URL or a setting out of range is
 * `PRIVNUM_RESULT_INVALID_ARGUMENT`.
 *
 * # Safety
 *
 * `base_url` must be NULL (only with `base_len == 0`) or point to
 * `base_len` readable bytes; `signer` must be a live handle; `config` must
 * be NULL or point to a readable `privnum_client_config`; `out` must be
 * valid for writing a pointer.
 */
privnum_result privnum_client_new(const uint8_t *base_url,
                                  size_t base_len,
                                  const struct privnum_signer *signer,
                                  const struct privnum_client_config *config,
                                  struct privnum_client **out);

/**
 * Make a client that sends through the host's HTTP stack: `send` is called
 * once per attempt with the signed request and fills in the answer (see
 * `privnum_transport_fn`), and is passed `user_data` unchanged. Otherwise
 * as `privnum_client_new`; `config`'s timeouts and `allow_http` do not
 * apply (the host's stack has its own), its retry settings do.
 *
 * Ownership and threads: privnum never frees or reads `user_data`; it must
 * stay valid, and `send` callable, until the last handle of this client is
 * released and no call through it is running. `send` is called from every
 * thread that calls `privnum_client_call` on this client, concurrently if
 * they do, so it and `user_data` must be thread-safe.
 *
 * Errors: `send` NULL is `PRIVNUM_RESULT_NULL_PARAMETER`; otherwise as
 * `privnum_client_new`.
 *
 * # Safety
 *
 * As for `privnum_client_new`; `send` must be NULL or a function with the
 * documented contract, and `user_data` whatever that function accepts.
 */
privnum_result privnum_client_new_with_transport(const uint8_t *base_url,
                                                 size_t base_len,
                                                 const struct privnum_signer *signer,
                                                 const struct privnum_client_config *config,
                                                 privnum_transport_fn send,
                                                 void *user_data,
                                                 struct privnum_client **out);

/**
 * Write another handle to the same client to `*out`.
 *
 * # Safety
 *
 * `client` must be a live handle; `out` must be valid for writing a
 * pointer.
 */
privnum_result privnum_client_clone(const struct privnum_client *client,
                                    struct privnum_client **out);

/**
 * Release a handle made by `privnum_client_new`,
 * `privnum_client_new_with_transport` or `privnum_client_clone`; NULL does
 * nothing. Must not be called while a call through this handle is running.
 *
 * # Safety
 *
 * `client` must be NULL or a live handle, not used again.
 */
void privnum_client_free(struct privnum_client *client);

/**
 * Send `op` to the platform and read its answer, blocking the calling
 * thread, with retries only where safe: every attempt signed afresh; an
 * attempt that certainly was not sent, or was throttled, is sent again; an
 * idempotent operation (query, unbind, modify) is also sent again after an
 * unknown outcome; a bind whose outcome is unknown is never re-sent
 * blindly: an AXB bind that named its X is settled by querying X for A and
 * B (found: success with that binding; nothing bound: sent once more),
 * anything else is `PRIVNUM_RESULT_OUTCOME_UNKNOWN`.
 *
 * On success writes the output as compact JSON (as `privnum_op_parse`
 * does: snake-case keys, `{}` for operations without output) to `buf`, not
 * NUL-terminated, with its length in `*out_n`.
 *
 * A too-small buffer never sends a request twice. If the answer does not
 * fit, the call returns `PRIVNUM_RESULT_INSUFFICIENT_SIZE` with the needed
 * size in `*out_n` and `buf` untouched, AFTER the operation was sent (a
 * bind HAS bound), and the answer is held in a slot of the calling thread.
 * Get it with `privnum_client_take_answer` on the same thread, or by
 * repeating this call on the same thread with the same client, an equal
 * operation and a buffer of `*out_n` bytes: that delivers the held answer
 * without sending anything. Any other `privnum_client_call` on the thread
 * discards a held answer first. 4096 bytes suffice for anything but a
 * query's page of bindings.
 *
 * Errors (nothing written): the operation's validation (as
 * `privnum_op_sign`; nothing is sent), the platform's refusals
 * (`PRIVNUM_RESULT_PLATFORM_*`) and `PRIVNUM_RESULT_RESPONSE_INVALID`, with
 * the platform's resultcode (`privnum_last_error_platform_code`) and HTTP
 * status (`privnum_last_error_http_status`) in the last error;
 * `PRIVNUM_RESULT_TRANSPORT_NOT_SENT` (certainly not sent: safe to call
 * again) and `PRIVNUM_RESULT_TRANSPORT_NO_RESPONSE` (may have taken effect)
 * once the attempts run out; `PRIVNUM_RESULT_OUTCOME_UNKNOWN` for a bind
 * that may or may not have bound: look it up before binding again. For a
 * bind, every other error means it did not bind.
 *
 * # Safety
 *
 * `client` and `op` must be live handles; `buf` must be NULL (only with
 * `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
 * valid for writing a `size_t`.
 */
privnum_result privnum_client_call(const struct privnum_client *client,
                                   const struct privnum_op *op,
                                   uint8_t *buf,
                                   size_t buf_len,
                                   size_t *out_n);

/**
 * Copy the answer held on the calling thread (that of this thread's last
 * `privnum_client_call`, which returned `PRIVNUM_RESULT_INSUFFICIENT_SIZE`)
 * to `buf` and release it. If it still does not fit, returns
 * `PRIVNUM_RESULT_INSUFFICIENT_SIZE` with the needed size and keeps it.
 * `PRIVNUM_RESULT_INVALID_ARGUMENT` when the thread holds none.
 *
 * # Safety
 *
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_client_take_answer(uint8_t *buf, size_t buf_len, size_t *out_n);

/**
 * From a transport callback: set the answer's HTTP status (100-599, else
 * `PRIVNUM_RESULT_INVALID_ARGUMENT`). Required before returning
 * `PRIVNUM_TRANSPORT_ANSWERED`.
 *
 * # Safety
 *
 * `response` must be the pointer passed to the running callback.
 */
privnum_result privnum_http_response_set_status(struct privnum_http_response *response,
                                                uint32_t status);

/**
 * From a transport callback: set the answer's `Location` header (UTF-8;
 * recording downloads answer 301 with it). Replaces an earlier one.
 *
 * # Safety
 *
 * `response` must be the pointer passed to the running callback;
 * `location` must be NULL (only with `len == 0`) or point to `len`
 * readable bytes.
 */
privnum_result privnum_http_response_set_location(struct privnum_http_response *response,
                                                  const uint8_t *location,
                                                  size_t len);

/**
 * From a transport callback: COPY `len` bytes of the answer's body in,
 * after what earlier calls appended (so a body may be given in pieces as
 * it arrives; the caller's buffer may be reused at once). More than the
 * 1 MiB privnum reads in total is `PRIVNUM_RESULT_RESPONSE_INVALID`, and
 * the client call then fails with it (still return
 * `PRIVNUM_TRANSPORT_ANSWERED`).
 *
 * # Safety
 *
 * `response` must be the pointer passed to the running callback; `data`
 * must be NULL (only with `len == 0`) or point to `len` readable bytes.
 */
privnum_result privnum_http_response_append_body(struct privnum_http_response *response,
                                                 const uint8_t *data,
                                                 size_t len);

/**
 * From a transport callback: say why the request was not sent or got no
 * answer (UTF-8), for the error message of `PRIVNUM_TRANSPORT_NOT_SENT` and
 * `PRIVNUM_TRANSPORT_MAYBE_SENT`. Long digit runs (phone numbers) are
 * masked. Replaces an earlier one.
 *
 * # Safety
 *
 * `response` must be the pointer passed to the running callback; `message`
 * must be NULL (only with `len == 0`) or point to `len` readable bytes.
 */
privnum_result privnum_http_response_set_error(struct privnum_http_response *response,
                                               const uint8_t *message,
                                               size_t len);

/**
 * Make a mirror of `client`'s application into `engine` (an engine of the
 * application's mode) and write a new handle to `*out`. The mirror keeps
 * its own references: `client` and `engine` may be freed afterwards, and
 * the caller's engine handle keeps seeing the same engine. Times (for
 * recording and expiry) come from the client's clock.
 *
 * # Safety
 *
 * `client` and `engine` must be live handles; `out` must be valid for
 * writing a pointer.
 */
privnum_result privnum_mirror_new(const struct privnum_client *client,
                                  const struct privnum_engine *engine,
                                  struct privnum_mirror **out);

/**
 * Write another handle to the same mirror to `*out`.
 *
 * # Safety
 *
 * `mirror` must be a live handle; `out` must be valid for writing a
 * pointer.
 */
privnum_result privnum_mirror_clone(const struct privnum_mirror *mirror,
                                    struct privnum_mirror **out);

/**
 * Release a handle made by `privnum_mirror_new` or `privnum_mirror_clone`;
 * NULL does nothing. The last handle releases the mirror's references to
 * its client and engine (the engine lives on while the caller holds a
 * handle to it). Must not be called while a call through this handle is
 * running.
 *
 * # Safety
 *
 * `mirror` must be NULL or a live handle, not used again.
 */
void privnum_mirror_free(struct privnum_mirror *mirror);

/**
 * Send a bind, modification or unbind and record it in the engine,
 * blocking the calling thread: the change is recorded as a request before
 * it is sent (a bind under a `pending-<n>` id), sent as
 * `privnum_client_call` sends it (a bind whose outcome is unknown is never
 * re-sent blindly), then settled: confirmed, the engine holds the result (a
 * bind active under the platform's `subscriptionId`); refused, the request
 * is taken back (a bind removed); unknown, it stays pending until
 * `privnum_mirror_reconcile`.
 *
 * Mirrored: `axb.bind`, `ax.bind`, `axe.bind`, `axyb.bind_ax`,
 * `axyb.bind_yb`, `axb.modify`, `ax.modify`, `axe.modify`, `axb.unbind`,
 * `ax.unbind`, `axe.unbind`, `axyb.unbind`. Any other operation is
 * `PRIVNUM_RESULT_INVALID_ARGUMENT` (it changes no binding the mirror
 * records; send it with `privnum_client_call`).
 *
 * Once the platform answered (or the outcome is unknown) the call returns
 * `PRIVNUM_RESULT_OK` and writes compact JSON to `buf` (not
 * NUL-terminated), with its length in `*out_n`:
 *
 * `{"operation": "axb.bind", "answer": "confirmed" | "refused" |
 * "unknown", "output": {...} | null, "error": {"kind", "code",
 * "platform_code", "field", "http_status", "message"} | null, "ids":
 * [...], "bindings": [...], "record_error": {...} | null}`: `output` is
 * the operation's output as `privnum_client_call` writes it (when
 * confirmed), `error` the refusal or the unknown outcome, `ids` the
 * engine's ids of the bindings concerned, `bindings` their records as the
 * engine's JSON commands write them (a removed one left out), and
 * `record_error` says the answer could not be recorded (reconcile).
 *
 * A too-small buffer never sends twice: the call returns
 * `PRIVNUM_RESULT_INSUFFICIENT_SIZE` with the needed size in `*out_n`
 * AFTER the change was sent and recorded, and holds the answer on the
 * calling thread. Get it with `privnum_mirror_take_answer`, or by
 * repeating this call on the same thread with the same mirror, an equal
 * operation and a buffer of `*out_n` bytes (nothing is sent again). Any
 * other `privnum_mirror_call` or `privnum_mirror_reconcile` on the thread
 * discards a held answer first. 4096 bytes suffice for one binding.
 *
 * Errors (nothing sent, nothing recorded): the operation's validation,
 * the engine's refusals (a broken platform rule, with its resultcode in
 * `privnum_last_error_platform_code`; `PRIVNUM_RESULT_BINDING_NOT_FOUND`
 * for a binding the engine does not hold), an operation not mirrored.
 *
 * # Safety
 *
 * `mirror` and `op` must be live handles; `buf` must be NULL (only with
 * `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
 * valid for writing a `size_t`.
 */
privnum_result privnum_mirror_call(const struct privnum_mirror *mirror,
                                   const struct privnum_op *op,
                                   uint8_t *buf,
                                   size_t buf_len,
                                   size_t *out_n);

/**
 * Query the platform for what the engine holds and compare, blocking the
 * calling thread; with `apply` 1 give the engine the platform's truth (0:
 * only report; other values are `PRIVNUM_RESULT_INVALID_ARGUMENT`). Due
 * bindings are expired first.
 *
 * Writes compact JSON to `buf` (not NUL-terminated), with its length in
 * `*out_n`: `{"differences": [...], "unchecked": [ids], "query_errors":
 * [errors], "applied": {"applied", "skipped", "errors"} | null}`. Each
 * difference has `kind` (`"only_on_platform"`, `"only_local"`,
 * `"settings_differ"`, `"requested_but_present"`,
 * `"requested_but_absent"`, `"ambiguous"`), `fix` (`"settle"`,
 * `"fail_then_remove"`, `"remove"`, `"import"`, `"update"` or null) and,
 * as they apply, `local` (the engine's binding), `platform` (the
 * platform's: `id`, `x`, the shape's fields, `seen`), `fields`,
 * `took_effect`, `candidates`. A query that failed is listed in
 * `query_errors` and proves nothing; what it would have covered is
 * unchecked.
 *
 * A too-small buffer: as `privnum_mirror_call` (the answer is held; an
 * identical call, same mirror and same `apply`, or
 * `privnum_mirror_take_answer` fetches it without querying again). The
 * answer holds the parties' numbers in clear: log it with care.
 *
 * Errors: an X-mode engine (the platform holds no bindings), the clock.
 *
 * # Safety
 *
 * `mirror` must be a live handle; `buf` must be NULL (only with
 * `buf_len == 0`) or valid for writing `buf_len` bytes; `out_n` must be
 * valid for writing a `size_t`.
 */
privnum_result privnum_mirror_reconcile(const struct privnum_mirror *mirror,
                                        uint32_t apply,
                                        uint8_t *buf,
                                        size_t buf_len,
                                        size_t *out_n);

/**
 * Copy the answer held on the calling thread (that of this thread's last
 * `privnum_mirror_call` or `privnum_mirror_reconcile`, which returned
 * `PRIVNUM_RESULT_INSUFFICIENT_SIZE`) to `buf` and release it. If it still
 * does not fit, returns `PRIVNUM_RESULT_INSUFFICIENT_SIZE` with the needed
 * size and keeps it. `PRIVNUM_RESULT_INVALID_ARGUMENT` when the thread
 * holds none.
 *
 * # Safety
 *
 * `buf` must be NULL (only with `buf_len == 0`) or valid for writing
 * `buf_len` bytes; `out_n` must be valid for writing a `size_t`.
 */
privnum_result privnum_mirror_take_answer(uint8_t *buf, size_t buf_len, size_t *out_n);

/**
 * Expire the engine's bindings whose lifetime is over by the client's
 * clock, and write how many expired to `*out_expired` (their events are in
 * the engine).
 *
 * # Safety
 *
 * `mirror` must be a live handle; `out_expired` must be valid for writing
 * a `size_t`.
 */
privnum_result privnum_mirror_tick(const struct privnum_mirror *mirror, size_t *out_expired);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  /* PRIVNUM_H */
