import GatewayServices
import GatewayStore

/// The services one daemon runs, built once at start and shared by every connection.
struct GatewayServiceSet: Sendable {
    let store: Store
    let mappings: MappingsHolder
    let partners: PartnerRegistry
    let clients: ClientRegistry
    let keys: KeyHashingService
    let licenses: LicenseService
    let startedAt: ContinuousClock.Instant
    let version: String
}
