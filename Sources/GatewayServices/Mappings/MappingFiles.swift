/// Where the three mapping files live.
public struct MappingFiles: Sendable {
    public var identity: String
    public var amrAcr: String
    public var openidConfiguration: String

    public init(identity: String, amrAcr: String, openidConfiguration: String) {
        self.identity = identity
        self.amrAcr = amrAcr
        self.openidConfiguration = openidConfiguration
    }
}
