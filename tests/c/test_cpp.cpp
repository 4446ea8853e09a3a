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
    std::printf("%d passed, %d failed\n", passed, failures);
    return failures == 0 ? 0 : 1;
}
