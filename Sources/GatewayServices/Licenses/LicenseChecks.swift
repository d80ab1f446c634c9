import GatewayStore

/// PMS's state checks for MISP licenses, in the order PMS makes them (SPEC 4.5).
///
/// They read through the write transaction so the state they approve is the state the mutation
/// changes; the pure ``usable(partner:license:)`` is shared with the read path of `license.get`.
enum LicenseChecks {
    /// `license.generate`'s checks; returns the policy the new license gets (nil without mappings).
    static func forGenerate(_ mispId: String, in tx: borrowing WriteTransaction) throws -> String? {
        guard try tx.license(mispId: mispId) == nil else { throw LicenseErrors.licenseExists }
        guard let partner = try tx.partner(mispId) else { throw LicenseErrors.partnerUnknown }
        guard partner.partnerType.lowercased() == "misp_partner" else { throw LicenseErrors.notMISPPartner }
        guard partner.isActive else { throw LicenseErrors.partnerInactive }
        return try mappedPolicy(of: mispId, in: tx)
    }

    /// Every mapping must be approved; the earliest one names the license's policy.
    static func mappedPolicy(of partnerId: String, in tx: borrowing WriteTransaction) throws -> String? {
        let mappings = try tx.query(
            "SELECT policy_id, status FROM partner_policies WHERE partner_id = ? ORDER BY seq", [SQLValue(partnerId)])
        guard let earliest = mappings.first else { return nil }
        for mapping in mappings where try mapping.string("status").lowercased() != "approved" {
            throw LicenseErrors.policyNotApproved
        }
        let policyId = try earliest.string("policy_id")
        guard try tx.policy(policyId) != nil else { throw LicenseErrors.policyMissing }
        return policyId
    }

    /// `license.get`'s checks: the partner exists and is active, and its license is not de-activated.
    static func usable(partner: PartnerRecord?, license: LicenseRecord?) throws(GatewayError) -> LicenseRecord {
        guard let partner else { throw LicenseErrors.partnerUnknown }
        guard partner.isActive else { throw LicenseErrors.partnerInactive }
        guard let license else { throw LicenseErrors.pairUnknown }
        guard license.status == .active else { throw LicenseErrors.licenseInactive }
        return license
    }
}

/// PMS's MISP license errors (SPEC 3), with MOSIP's codes and messages verbatim (typos included:
/// callers match on them).
enum LicenseErrors {
    static let licenseExists = GatewayError(.conflict, "PMS_MSP_416", "License key exists for the given provider.")
    static let partnerUnknown = GatewayError(.notFound, "PMS_MSP_005", "MISP Partner does not exist")
    static let notMISPPartner = GatewayError(.refused, "PMS_MSP_009", "Given provider is not valid")
    static let partnerInactive = GatewayError(.refused, "PMS_MSP_405", "MISP partner is not active.")
    static let policyNotApproved = GatewayError(.refused, "PMS_MSP_418", "Policy not approved.")
    static let policyMissing = GatewayError(.refused, "PMS_MSP_419", "Policy not exists.")
    static let badStatus = GatewayError(.invalidParams, "PMS_MSP_407", "mispStatus either Active or De-active.")
    static let pairUnknown = GatewayError(
        .notFound, "PMS_MSP_408", "MISP Partner and License key combintaion not exists.")
    static let licenseInactive = GatewayError(.refused, "PMS_MSP_413", "misp license all are inactive.")
}

/// No unused key could be drawn: only reachable with a configured `license.length` so short that
/// the key space is nearly used up. An internal error, not the caller's fault.
struct LicenseKeySpaceExhausted: Error, CustomStringConvertible {
    let length: Int
    var description: String { "no unused license key of length \(length) after repeated draws" }
}
