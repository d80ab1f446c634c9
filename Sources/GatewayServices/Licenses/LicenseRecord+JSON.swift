import GatewayJSON

/// The shapes a license takes on the way out: call results, list entries and journal changes.
extension LicenseRecord {
    /// `license.generate` / `license.get`: PMS answers an issued key with `"Active"` in this case.
    var issuedResult: JSONValue {
        [
            "providerId": .string(mispId), "licenseKey": .string(licenseKey), "licenseKeyStatus": "Active",
            "licenseKeyExpiry": .string(expiresAt),
        ]
    }

    /// `license.update`: PMS echoes the status lower-cased (`active` / `de-active`).
    var updateResult: JSONValue {
        [
            "providerId": .string(mispId), "licenseKey": .string(licenseKey),
            "licenseKeyStatus": .string(status.rawValue), "licenseKeyExpiry": .string(expiresAt),
        ]
    }

    /// A `license.list` entry: only the key's last four characters.
    var listEntry: JSONValue {
        [
            "providerId": .string(mispId), "licenseKeyStatus": .string(status.rawValue),
            "licenseKeyExpiry": .string(expiresAt), "policyId": JSONValue(policyId), "keyHint": .string(keyHint),
        ]
    }

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
