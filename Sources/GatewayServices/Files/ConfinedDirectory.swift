import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// The one directory a caller may name files in, and the daemon's own files it may never name
/// (SPEC 4.1 `system.backup`, 4.5 `license.exportProperties`).
///
/// A caller of a write method is trusted with its method, not with the daemon's file-system
/// rights: a path it names is resolved (`..` and symbolic links) and must then lie inside
/// `directory`, must not be the database, its `-wal`/`-shm`/`-journal`, the socket or the config
/// file, and must be a regular file or absent. A symbolic link as the last component is refused
/// even when it points inside. Every refusal is the same `GW_INVALID_PATH`, so the answer never
/// tells whether a path outside the directory exists.
package struct ConfinedDirectory: Sendable {
    package let directory: String
    private let protectedFiles: [String]
    /// Whether a path may lie in a subdirectory (export) or only directly inside (backup).
    private let allowsSubdirectories: Bool

    /// - Parameter protectedFiles: the daemon's own files; a database path also protects its
    ///   `-wal`, `-shm` and `-journal` companions, so pass the database first.
    package init(directory: String, protecting protectedFiles: [String], allowsSubdirectories: Bool) {
        self.directory = directory
        self.protectedFiles = protectedFiles
        self.allowsSubdirectories = allowsSubdirectories
    }

    /// The daemon's own files for a database, socket and config file.
    package static func daemonFiles(database: String, socket: String, config: String) -> [String] {
        [database, database + "-wal", database + "-shm", database + "-journal", socket, config]
    }

    /// The resolved, absolute path for `requested`: a name relative to the directory, or an
    /// absolute path. Throws `GW_INVALID_PATH` for anything the rules above refuse.
    package func resolve(_ requested: String) throws(GatewayError) -> String {
        guard !requested.contains("\0"), let realDirectory = Self.realPath(directory) else { throw refusal }
        let absolute = requested.hasPrefix("/") ? requested : "\(realDirectory)/\(requested)"
        let name = Self.lastComponent(of: absolute)
        guard !name.isEmpty, name != ".", name != "..",
            let parent = Self.realPath(FilePath(absolute).directory)
        else { throw refusal }
        let inside = parent == realDirectory || (allowsSubdirectories && parent.hasPrefix(realDirectory + "/"))
        guard inside else { throw refusal }
        let candidate = "\(parent)/\(name)"
        var info = stat()
        if lstat(candidate, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFREG, !isProtected(device: info.st_dev, inode: info.st_ino) else {
                throw refusal
            }
        } else if errno != ENOENT {
            throw refusal
        }
        guard !protectedPaths().contains(candidate) else { throw refusal }
        return candidate
    }

    /// The same error for every refusal (SPEC 4.1, 4.5).
    package var refusal: GatewayError {
        GatewayError(
            .invalidParams, "GW_INVALID_PATH",
            "path must name a regular file, or a new one, inside \(directory), and none of the daemon's own files")
    }

    /// The protected files' resolved paths, whether or not they exist now (`-wal` comes and goes).
    private func protectedPaths() -> [String] {
        protectedFiles.map { file in
            Self.realPath(FilePath(file).directory).map { "\($0)/\(Self.lastComponent(of: file))" } ?? file
        }
    }

    /// A hard link to the database inside the directory has another name but the same inode.
    private func isProtected(device: dev_t, inode: ino_t) -> Bool {
        protectedFiles.contains { file in
            var info = stat()
            return stat(file, &info) == 0 && info.st_dev == device && info.st_ino == inode
        }
    }

    static func lastComponent(of path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? ""
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
