#ifndef PMS_GATEWAY_COPENSSL_SHIM_H
#define PMS_GATEWAY_COPENSSL_SHIM_H

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

/// One-shot SHA-256 with an algorithm fetched once (`EVP_MD_fetch`); returns 1 on success.
/// `EVP_sha256()` would make OpenSSL 3 fetch the implementation again at every call, under a
/// process-wide lock.
static inline int pmsgw_sha256(const EVP_MD *sha256, const void *data, size_t count, unsigned char out[32]) {
    unsigned int length = 0;
    return EVP_Digest(data, count, out, &length, sha256, NULL) == 1 && length == 32;
}

/// SHA-256 through a context the caller keeps for many digests: re-initialising it reuses what
/// OpenSSL allocated for it, where `EVP_Digest` allocates and frees a context at every call.
static inline int pmsgw_sha256_reusing(EVP_MD_CTX *context, const EVP_MD *sha256, const void *data, size_t count,
                                       unsigned char out[32]) {
    unsigned int length = 0;
    return EVP_DigestInit_ex2(context, sha256, NULL) == 1 && EVP_DigestUpdate(context, data, count) == 1
        && EVP_DigestFinal_ex(context, out, &length) == 1 && length == 32;
}

/// The decoder context keeps its input type by pointer until it is freed, so it must be a static
/// C string (a bridged Swift String would die when the constructor returns).
static inline const char *pmsgw_decoder_input_pem(void) { return "PEM"; }

/// The algorithm name for EVP_MD_fetch, as a static C string.
static inline const char *pmsgw_sha256_name(void) { return "SHA256"; }

#endif
