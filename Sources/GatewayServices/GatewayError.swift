/// A domain error: what went wrong in MOSIP's terms.
///
/// Services throw only this (or a `StoreError`, for storage failures). The RPC layer maps each
/// ``Kind`` to its JSON-RPC code in exactly one place, so a service never knows wire numbers.
public struct GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Which row of SPEC 3's table the error belongs to.
    public struct Kind: Hashable, Sendable {
        private let name: String
        public static let invalidParams = Kind(name: "invalidParams")
        public static let notFound = Kind(name: "notFound")
        public static let conflict = Kind(name: "conflict")
        public static let refused = Kind(name: "refused")
        public static let unavailable = Kind(name: "unavailable")
    }

    public let kind: Kind
    /// MOSIP's error code (`PMS_ESI_001`, `invalid_redirect_uri`, ...) or ours (`GW_...`).
    public let errorCode: String
    /// MOSIP's message, verbatim where MOSIP has one.
    public let message: String

    public init(_ kind: Kind, _ errorCode: String, _ message: String) {
        self.kind = kind
        self.errorCode = errorCode
        self.message = message
    }

    public var description: String { "\(errorCode): \(message)" }
}

extension GatewayError {
    /// Hibernate Validator's wording as PMS returns it: `Invalid request parameter - <reason> :request.<field>`.
    public static func invalidParameter(_ field: String, _ reason: String) -> GatewayError {
        GatewayError(.invalidParams, "PMS_COR_001", "Invalid request parameter - \(reason) :request.\(field)")
    }

    public static func notFound(_ what: String) -> GatewayError {
        GatewayError(.notFound, "GW_NOT_FOUND", "\(what) not found")
    }
}
