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
