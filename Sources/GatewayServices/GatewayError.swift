/// A domain error: what went wrong in MOSIP's terms.
///
/// Services throw only this (or a `StoreError`, for storage failures). The RPC layer maps each
/// ``Kind`` to its JSON-RPC code in exactly one place, so a service never knows wire numbers.
package struct GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which row of SPEC 3's table the error belongs to.
    package struct Kind: Hashable, Sendable {
        private let name: String
        package static let invalidParams = Kind(name: "invalidParams")
        package static let notFound = Kind(name: "notFound")
        package static let conflict = Kind(name: "conflict")
        package static let refused = Kind(name: "refused")
        package static let unavailable = Kind(name: "unavailable")
        /// eSignet refused the client (SPEC 7.3): the error code and message are eSignet's.
        package static let esignetRejected = Kind(name: "esignetRejected")
    }

    package let kind: Kind
    /// MOSIP's error code (`PMS_ESI_001`, `invalid_redirect_uri`, ...) or ours (`GW_...`).
    package let errorCode: String
    /// MOSIP's message, verbatim where MOSIP has one.
    package let message: String

    package init(_ kind: Kind, _ errorCode: String, _ message: String) {
        self.kind = kind
        self.errorCode = errorCode
        self.message = message
    }

    package var description: String { "\(errorCode): \(message)" }
}

extension GatewayError {
    /// Hibernate Validator's wording as PMS returns it: `Invalid request parameter - <reason> :request.<field>`.
    package static func invalidParameter(_ field: String, _ reason: String) -> GatewayError {
        GatewayError(.invalidParams, "PMS_COR_001", "Invalid request parameter - \(reason) :request.\(field)")
    }

    package static func notFound(_ what: String) -> GatewayError {
        GatewayError(.notFound, "GW_NOT_FOUND", "\(what) not found")
    }
}
