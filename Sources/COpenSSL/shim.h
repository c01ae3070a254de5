#ifndef COPYPT_COPENSSL_SHIM_H
#define COPYPT_COPENSSL_SHIM_H

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <string.h>

// SHA-256 and HMAC-SHA256 (RFC 2104) over OpenSSL's SHA256_Init/Update/Final, which keep
// their state on the stack. OpenSSL 3 deprecates them for EVP, but each EVP digest allocates
// a context and goes through the provider layer, three times per signed request
// (scripts/bench P1); these compute the same digests with the same assembly.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static inline void copypt_sha256(const unsigned char *data, size_t count, unsigned char out[32]) {
    SHA256_CTX context;
    SHA256_Init(&context);
    SHA256_Update(&context, data, count);
    SHA256_Final(out, &context);
}

static inline void copypt_hmac_sha256(const unsigned char *key, size_t key_count,
                                      const unsigned char *data, size_t count, unsigned char out[32]) {
    unsigned char block[64] = {0};
    if (key_count > 64) {
        copypt_sha256(key, key_count, block);
    } else if (key_count > 0) {
        memcpy(block, key, key_count);
    }
    unsigned char pad[64];
    unsigned char inner[32];
    SHA256_CTX context;
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&context);
    SHA256_Update(&context, pad, 64);
    SHA256_Update(&context, data, count);
    SHA256_Final(inner, &context);
    for (int i = 0; i < 64; i++) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&context);
    SHA256_Update(&context, pad, 64);
    SHA256_Update(&context, inner, 32);
    SHA256_Final(out, &context);
}

#pragma GCC diagnostic pop

#endif
