import GatewayServices
import GatewayStore
import Logging

/// The services one daemon runs, built once at start and shared by every connection.
struct GatewayServiceSet: Sendable {
    let store: Store
    let mappings: MappingsHolder
    let partners: PartnerRegistry
    let startedAt: ContinuousClock.Instant
    let version: String
}
