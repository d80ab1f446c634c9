import GatewayJSON

/// A license in the journal.
extension LicenseRecord {
    /// The journal's `change`: the new state with the key replaced by its hash (SPEC 6), so the
    /// chain proves which key was issued without anyone reading it back from the journal.
    var journalChange: JSONValue {
        [
            "providerId": .string(mispId), "licenseKey": .string(keyHash),
            "licenseKeyStatus": .string(status.rawValue), "licenseKeyExpiry": .string(expiresAt),
            "licenseKeyIssuedAt": .string(issuedAt), "policyId": JSONValue(policyId),
        ]
    }
}
