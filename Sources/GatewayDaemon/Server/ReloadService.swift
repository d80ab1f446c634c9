import GatewayDelivery
import GatewayJSON
import GatewayServices
import GatewayStore
import GatewayTransport
import Logging
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
    import Glibc
#endif

/// SIGHUP: reload the mapping files, all or nothing, and journal it as `config.reload`; the
/// credentials secret is read again at the next token fetch.
struct ReloadService: Service {
    /// Trapped at start-up, before the socket exists, so an early SIGHUP is not lost.
    let hangups: UnixSignalsSequence
    let files: MappingFiles
    let mappings: CurrentMappings
    let tokens: TokenSource?
    let store: Store
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        for await _ in hangups.cancelOnGracefulShutdown() {
            notifier.notify("RELOADING=1")
            await tokens?.reloadSecret()
            await reload()
            notifier.notify("READY=1")
        }
    }

    private func reload() async {
        let fresh: MappingSet
        do {
            fresh = try MappingSet.load(files)
        } catch {
            logger.error("mapping reload failed; keeping the previous mappings", metadata: ["error": "\(error)"])
            return
        }
        mappings.replace(with: fresh)
        logger.notice("mappings reloaded")
        let change: JSONValue = [
            "identity": .string(files.identity), "amrAcr": .string(files.amrAcr),
            "openidConfiguration": .string(files.openidConfiguration),
            "claimsSupported": JSONValue(fresh.claimsSupported), "acrs": JSONValue(fresh.acrAmr.map(\.acr)),
        ]
        let daemon = CallContext(peer: Peer(uid: getuid(), gid: getgid(), pid: getpid()), requestId: nil)
        do {
            try await store.write { tx in
                tx.journal(daemon.draft("config.reload", "config", "mappings", change: change))
            }
        } catch {
            logger.error("could not journal the reload", metadata: ["error": "\(error)"])
        }
    }
}
