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
