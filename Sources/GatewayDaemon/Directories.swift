#if canImport(Glibc)
    import Glibc
#endif

/// Creates the directories the socket and database live in, so `make run` works from a clean clone.
enum Directories {
    static func create(parentOf path: String) {
        let components = path.split(separator: "/").dropLast()
        var prefix = path.hasPrefix("/") ? "" : "."
        for component in components {
            prefix += "/\(component)"
            _ = mkdir(prefix, 0o750)
        }
    }
}
