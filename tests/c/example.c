/* The C example shown in README.md; built and run by `make -C tests/c test`. */
#include <stdio.h>
#include <string.h>

#include "privnum.h"

static int fail(privnum_result rc) {
  char msg[256];
  size_t n = 0;
  privnum_last_error_message((uint8_t *)msg, sizeof msg - 1, &n);
  msg[n] = '\0';
  fprintf(stderr, "%s: %s\n", privnum_result_name(rc), msg);
  return 1;
}

int main(void) {
  const char *typed = "+86 138-0000-0021";
  privnum_number a;
  privnum_result rc = privnum_number_parse_default((const uint8_t *)typed, strlen(typed), &a);
  if (rc != PRIVNUM_RESULT_OK) return fail(rc);

  char e164[32], masked[32];
  size_t e164_n = 0, masked_n = 0;
  privnum_number_e164(a, (uint8_t *)e164, sizeof e164, &e164_n);
  privnum_number_masked(a, (uint8_t *)masked, sizeof masked, &masked_n);
  printf("%s -> %.*s (log as %.*s, class %s)\n", typed, (int)e164_n, e164, (int)masked_n, masked,
         privnum_number_class_name(privnum_number_class(a)));

  /* Bad input gets a typed result and a message that says why. */
  const char *bad = "138-0000-002";
  privnum_number b;
  rc = privnum_number_parse_default((const uint8_t *)bad, strlen(bad), &b);
  if (rc != PRIVNUM_RESULT_NUMBER_TOO_SHORT) return 1;
  printf("%s -> %s\n", bad, privnum_result_name(rc));

  /* Sign a request: a fresh random nonce and the current UTC time. */
  const char *key = "a1d1f50cad21415fbdd13d8f53d36d60", *secret = "cfc881cc704c4fba8d8fef5788e03e6b";
  privnum_signer *signer = NULL;
  rc = privnum_signer_new((const uint8_t *)key, strlen(key), (const uint8_t *)secret,
                          strlen(secret), &signer);
  if (rc != PRIVNUM_RESULT_OK) return fail(rc);
  char token[512];
  size_t token_n = 0;
  rc = privnum_signer_sign(signer, PRIVNUM_SCHEME_AKSK, NULL, 0, NULL, 0, (uint8_t *)token,
                           sizeof token, &token_n);
  if (rc != PRIVNUM_RESULT_OK) return fail(rc);
  printf("Authorization: %s\n%s: %.*s\n", privnum_scheme_authorization(PRIVNUM_SCHEME_AKSK),
         privnum_scheme_header_name(PRIVNUM_SCHEME_AKSK), (int)token_n, token);
  privnum_signer_free(signer);
  return 0;
}
