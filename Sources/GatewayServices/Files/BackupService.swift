import GatewayStore

#if canImport(Glibc)
    import Glibc
#endif

/// `system.backup` (SPEC 4.1): online copies of the database, confined to the backup directory.
///
/// A backup holds every license key, so it is only ever written where the operator said backups
/// go: a new file (never an existing one, so no caller can overwrite the database, the socket or
/// another backup), mode 0600, in a directory the daemon creates 0700.
package struct BackupService: Sendable {
    let store: Store
    let directory: ConfinedDirectory

    package init(store: Store, directory: ConfinedDirectory) {
        self.store = store
        self.directory = directory
    }

    package struct Backup: Sendable {
        package let path: String
        package let bytes: Int
        package let journalHead: Int
    }

    /// `path` is a bare file name, or an absolute path directly inside the backup directory.
    package func backup(to requested: String) async throws -> Backup {
        if mkdir(directory.directory, 0o700) != 0 && errno != EEXIST {
            throw GatewayError(.unavailable, "GW_UNAVAILABLE", "cannot create the backup directory")
        }
        let path = try directory.resolve(requested)
        do {
            let (bytes, head) = try await store.backup(to: path)
            return Backup(path: path, bytes: bytes, journalHead: head)
        } catch let error as StoreError where error.code == .fileExists {
            throw directory.refusal
        } catch let error as StoreError where error.code == .unsupported {
            // A PostgreSQL store: the database's own tools copy it consistently (pg_dump).
            throw GatewayError(.refused, "GW_UNSUPPORTED", error.message)
        }
    }
}
