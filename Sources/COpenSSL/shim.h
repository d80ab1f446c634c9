#ifndef PMS_GATEWAY_COPENSSL_SHIM_H
#define PMS_GATEWAY_COPENSSL_SHIM_H

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/err.h>

/// One-shot SHA-256; returns 1 on success. A function, not the EVP_sha256 macro dance, so Swift
/// calls it with plain buffer pointers.
static inline int pmsgw_sha256(const void *data, size_t count, unsigned char out[32]) {
    unsigned int length = 0;
    return EVP_Digest(data, count, out, &length, EVP_sha256(), NULL) == 1 && length == 32;
}

#endif
