import GatewayJSON

/// SPEC 4.3 steps 6 and 7: the claims and ACRs an auth policy allows, exactly as PMS derives them.
package struct PolicyDerivation: Sendable, Equatable {
    package let claims: [String]
    package let acrValues: [String]
    /// What the policy lacks for eSignet's logins (SPEC 7.5); set by the registry, which knows the rules.
    package var warnings: [PrerequisiteWarning] = []
}

extension MappingSet {
    /// Derives claims and ACRs from an auth policy document; both come back sorted.
    package func derive(policy: JSONValue) throws(GatewayError) -> PolicyDerivation {
        let attributes = Set(
            (policy["allowedKycAttributes"]?.arrayValue ?? []).compactMap {
                $0["attributeName"]?.stringValue?.lowercased()
            }
        )
        var claims: [String] = []
        for claim in claimsSupported {
            guard let candidates = identity[claim] else { continue }
            if candidates.contains(where: { attributes.contains($0.lowercased()) }) { claims.append(claim) }
        }
        guard !claims.isEmpty else {
            throw GatewayError(.refused, "PMS_ESI_005", "Partner has no user claims")
        }

        let authTypes = policy["allowedAuthTypes"]?.arrayValue ?? []
        if authTypes.contains(where: { $0["mandatory"]?.boolValue == true }) {
            throw GatewayError(
                .refused, "PMS_ESI_003", "Policy having mandatory auths. So client can't be created for the same.")
        }
        let types = Set(authTypes.compactMap { $0["authType"]?.stringValue?.lowercased() })
        let matchingAMRs = Set(amr.filter { _, factors in factors.allSatisfy { types.contains($0.lowercased()) } }.keys)
        let acrs = acrAmr.filter { entry in
            !entry.amrs.isEmpty && entry.amrs.allSatisfy { matchingAMRs.contains($0) }
        }.map(\.acr)
        guard !acrs.isEmpty else {
            throw GatewayError(.refused, "PMS_ESI_006", "Partner has no Authentication Context Refrences")
        }
        return PolicyDerivation(claims: claims.sorted(), acrValues: acrs.sorted())
    }
}
