#if canImport(Glibc)
    import Glibc
#endif

/// Creates the directories the socket and database live in, so `make run` works from a clean clone.
///
/// They get 0750 whatever the umask (the daemon's is 0077): the socket's group must be able to
/// reach the socket, whose own mode is the access barrier.
enum Directories {
    static func create(parentOf path: String) {
        let components = path.split(separator: "/").dropLast()
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in components {
            prefix += "/\(component)"
            if mkdir(prefix, 0o750) == 0 { _ = chmod(prefix, 0o750) }
        }
    }
}
