/// The `clients` section: what eSignet accepts for new clients on this deployment.
public struct ClientRules: Sendable {
    public var minRsaBits: Int
    public var grantTypes: [String]
    public var clientAuthMethods: [String]

    public init(minRsaBits: Int, grantTypes: [String], clientAuthMethods: [String]) {
        self.minRsaBits = minRsaBits
        self.grantTypes = grantTypes
        self.clientAuthMethods = clientAuthMethods
    }
}

/// The `license` section.
public struct LicenseRules: Sendable {
    public var length: Int
    public var validityDays: Int

    public init(length: Int, validityDays: Int) {
        self.length = length
        self.validityDays = validityDays
    }
}
