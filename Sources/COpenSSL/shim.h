#ifndef PMS_GATEWAY_COPENSSL_SHIM_H
#define PMS_GATEWAY_COPENSSL_SHIM_H

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

/// One-shot SHA-256; returns 1 on success. A function, not the EVP_sha256 macro dance, so Swift
/// calls it with plain buffer pointers.
static inline int pmsgw_sha256(const void *data, size_t count, unsigned char out[32]) {
    unsigned int length = 0;
    return EVP_Digest(data, count, out, &length, EVP_sha256(), NULL) == 1 && length == 32;
}

/// OPENSSL_free is a macro carrying __FILE__/__LINE__; Swift cannot call it.
static inline void pmsgw_free(void *pointer) {
    OPENSSL_free(pointer);
}

/// EVP_PKEY_PUBLIC_KEY is a compound macro; Swift does not import it.
static inline int pmsgw_selection_public_key(void) {
    return EVP_PKEY_PUBLIC_KEY;
}

/*
 * Names handed to OpenSSL that it keeps by pointer (OSSL_PARAM_BLD keys and string values,
 * EVP_PKEY_CTX key-type names). A Swift String bridged to `char *` dies when the call returns, so
 * these must be static C strings with program lifetime.
 */
static inline const char *pmsgw_keytype_rsa(void) { return "RSA"; }
static inline const char *pmsgw_keytype_ec(void) { return "EC"; }
static inline const char *pmsgw_param_rsa_n(void) { return OSSL_PKEY_PARAM_RSA_N; }
static inline const char *pmsgw_param_rsa_e(void) { return OSSL_PKEY_PARAM_RSA_E; }
static inline const char *pmsgw_param_group_name(void) { return OSSL_PKEY_PARAM_GROUP_NAME; }
static inline const char *pmsgw_param_pub_key(void) { return OSSL_PKEY_PARAM_PUB_KEY; }
static inline const char *pmsgw_group_p256(void) { return SN_X9_62_prime256v1; }
static inline const char *pmsgw_group_p384(void) { return SN_secp384r1; }
static inline const char *pmsgw_group_p521(void) { return SN_secp521r1; }

#endif
