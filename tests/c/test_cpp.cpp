// Compiles include/privnum.h as C++ (cpp_compat) and uses it from C++17.

#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "privnum.h"

namespace {

int failures = 0;
int passed = 0;

void check(bool ok, const char *what)
{
    if (ok) {
        passed++;
    } else {
        failures++;
        std::printf("FAIL test_cpp: %s\n", what);
    }
}

const uint8_t *bytes(std::string_view s)
{
    return reinterpret_cast<const uint8_t *>(s.data());
}

// Any privnum text output as a std::string (size query, then the exact size).
template <typename F> std::string text(F &&f)
{
    size_t n = 0;
    privnum_result r = f(nullptr, 0, &n);
    if (r != PRIVNUM_RESULT_OK && r != PRIVNUM_RESULT_INSUFFICIENT_SIZE) {
        return "<error " + std::string(privnum_result_name(r)) + ">";
    }
    std::string out(n, '\0');
    r = f(reinterpret_cast<uint8_t *>(out.data()), out.size(), &n);
    if (r != PRIVNUM_RESULT_OK) {
        return "<error " + std::string(privnum_result_name(r)) + ">";
    }
    out.resize(n);
    return out;
}

} // namespace

int main()
{
    std::string_view input = "+86 138-0000-0021";
    privnum_number n{};
    check(privnum_number_parse_default(bytes(input), input.size(), &n) == PRIVNUM_RESULT_OK,
          "parse");
    check(text([&](uint8_t *b, size_t l, size_t *o) { return privnum_number_e164(n, b, l, o); }) ==
              "+8613800000021",
          "e164");
    check(privnum_number_class(n) == PRIVNUM_NUMBER_CLASS_MOBILE, "class");
    check(std::string(privnum_number_class_name(privnum_number_class(n))) == "mobile",
          "class name");

    privnum_signer *signer = nullptr;
    std::string_view key = "a1d1f50cad21415fbdd13d8f53d36d60";
    std::string_view secret = "cfc881cc704c4fba8d8fef5788e03e6b";
    check(privnum_signer_new(bytes(key), key.size(), bytes(secret), secret.size(), &signer) ==
              PRIVNUM_RESULT_OK,
          "signer_new");
    std::string_view nonce = "66C92B11FF8A425FB8D4CCFE0ED9ED1F";
    std::string_view created = "2018-02-12T15:30:20Z";
    std::string value = text([&](uint8_t *b, size_t l, size_t *o) {
        return privnum_signer_sign(signer, PRIVNUM_SCHEME_AKSK, bytes(nonce), nonce.size(),
                                   bytes(created), created.size(), b, l, o);
    });
    check(value.find("PasswordDigest=\"qMO+SlJCBqpyYcBSyVkLNzXkk6yh2B+TA9kH8I2GG8Q=\"") !=
              std::string::npos,
          "sign (spec vector)");

    privnum_verifier_config config{};
    check(privnum_verifier_config_default(&config) == PRIVNUM_RESULT_OK, "config_default");
    privnum_verifier *verifier = nullptr;
    check(privnum_verifier_new(bytes(key), key.size(), bytes(secret), secret.size(), &config,
                               &verifier) == PRIVNUM_RESULT_OK,
          "verifier_new");
    std::string_view name = privnum_scheme_header_name(PRIVNUM_SCHEME_AKSK);
    privnum_header header{ bytes(name), name.size(), bytes(value), value.size() };
    privnum_verified verified{};
    check(privnum_verifier_verify(verifier, &header, 1, 1518449420, &verified) ==
              PRIVNUM_RESULT_OK,
          "verify");
    check(std::string_view(reinterpret_cast<const char *>(verified.nonce), verified.nonce_len) ==
              nonce,
          "verified nonce");
    check(privnum_verifier_verify(verifier, &header, 1, 1518449420, &verified) ==
              PRIVNUM_RESULT_AUTH_REPLAYED,
          "replay");
    check(std::strcmp(privnum_result_str(PRIVNUM_RESULT_AUTH_REPLAYED),
                      "this nonce was already accepted (replay)") == 0,
          "result_str");

    privnum_verifier_free(verifier);
    privnum_signer_free(signer);

    // Callbacks: a push through an inbox, its views, codes, a reply, segments.
    auto view = [](privnum_str v) {
        return std::string_view(reinterpret_cast<const char *>(v.data), v.len);
    };
    privnum_inbox_config inbox_config{};
    check(privnum_inbox_config_default(&inbox_config) == PRIVNUM_RESULT_OK, "inbox_config_default");
    privnum_inbox *inbox = nullptr;
    check(privnum_inbox_new(&inbox_config, nullptr, 0, nullptr, 0, &inbox) == PRIVNUM_RESULT_OK,
          "inbox_new");
    std::string body = R"({"eventType":"fee","feeLst":[{"icid":"I1","ulFailReason":7503,)"
                       R"("fwdAnswerTime":"2024-05-01 08:00:08","callEndTime":"2024-05-01 08:02:08"}]})";
    privnum_received *received = nullptr;
    check(privnum_inbox_receive(inbox, bytes(body), body.size(), nullptr, 0, 1714550400,
                                &received) == PRIVNUM_RESULT_OK,
          "inbox_receive");
    body.assign(body.size(), 'x'); // the push owns a copy
    const privnum_push *push = privnum_received_push(received);
    check(privnum_push_kind(push) == PRIVNUM_PUSH_KIND_CDRS && privnum_push_cdr_count(push) == 1,
          "push kind");
    privnum_cdr cdr{};
    check(privnum_push_cdr(push, 0, &cdr) == PRIVNUM_RESULT_OK, "push_cdr");
    check(view(cdr.icid) == "I1" && view(cdr.key) == "I1" && cdr.sp_id.data == nullptr, "cdr views");
    check(cdr.answered && cdr.talk_seconds == 120 && cdr.hung_up_by == PRIVNUM_PARTY_CALLEE,
          "cdr facts");
    check(std::string(privnum_fail_reason_description(cdr.ul_fail_reason)) == "callee hung up" &&
              privnum_fail_reason_category(cdr.ul_fail_reason) ==
                  PRIVNUM_FAIL_CATEGORY_CALLEE_HUNG_UP,
          "fail reason");
    privnum_item item{};
    check(privnum_received_item(received, 0, &item) == PRIVNUM_RESULT_OK && !item.duplicate &&
              view(item.key) == "cdr:I1",
          "item");
    check(privnum_inbox_commit(inbox, received, 1714550400) == PRIVNUM_RESULT_OK, "commit");
    privnum_received_free(received);
    privnum_inbox_free(inbox);

    std::string_view code = "1010010";
    check(privnum_result_code_action(bytes(code), code.size(), 401) == PRIVNUM_ACTION_FIX_AUTH,
          "result code action");

    privnum_connect_options connect{};
    std::string_view callee = "139 0000 0002", user_data = "ticket-7";
    check(privnum_number_parse_default(bytes(callee), callee.size(), &connect.callee) ==
              PRIVNUM_RESULT_OK,
          "callee");
    connect.user_data = privnum_str{ bytes(user_data), user_data.size() };
    connect.form = PRIVNUM_INFO_FORM_ARRAY;
    check(text([&](uint8_t *b, size_t l, size_t *o) { return privnum_reply_connect(&connect, b, l, o); }) ==
              R"({"operation":"connect","connectInfo":[{"calleeNum":"+8613900000002","recordFlag":"false","userData":"ticket-7"}]})",
          "reply_connect");

    std::string_view sms = "\xe4\xbd\xa0\xe5\xa5\xbd"; // 你好
    privnum_segment_count segments{};
    check(privnum_sms_segments(bytes(sms), sms.size(), &connect.callee, &segments) ==
                  PRIVNUM_RESULT_OK &&
              segments.encoding == PRIVNUM_SMS_ENCODING_UCS2 && segments.units == 17,
          "sms_segments (AX)");

    std::printf("%d passed, %d failed\n", passed, failures);
    return failures == 0 ? 0 : 1;
}
