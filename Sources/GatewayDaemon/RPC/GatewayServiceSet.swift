import GatewayDelivery
import GatewayServices
import GatewayStore

/// The services one daemon runs, built once at start and shared by every connection.
struct GatewayServiceSet: Sendable {
    let store: Store
    let mappings: CurrentMappings
    let partners: PartnerRegistry
    let clients: ClientRegistry
    let keys: KeyHashingService
    let licenses: LicenseService
    /// Told after each commit that enqueued outbox rows, so delivery starts without waiting for its scan.
    let delivery: OutboxDeliverer
    let backups: BackupService
    let outbox: OutboxService
    let startedAt: ContinuousClock.Instant
    let version: String
}
