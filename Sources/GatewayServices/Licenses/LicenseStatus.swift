/// A MISP license's state, in the three spellings MOSIP uses for it.
///
/// PMS accepts `Active`/`De-active` in any case, answers `license.update` in lower case (which is
/// also how the row stores it) and tells IDA `ACTIVE`/`NOT_ACTIVE` in its events.
package enum LicenseStatus: String, Sendable {
    case active = "active"
    case deActive = "de-active"

    /// The `licenseKeyStatus` of a `license.update` request, compared case-insensitively.
    init?(requestValue: String) {
        self.init(rawValue: requestValue.lowercased())
    }

    /// `mispStatus` in the IDA event (SPEC 5).
    var eventValue: String {
        switch self {
        case .active: "ACTIVE"
        case .deActive: "NOT_ACTIVE"
        }
    }
}
