import GatewayJSON
import GatewayStore
import GatewayTestSupport
import Synchronization
import SystemPackage
import Testing

@testable import GatewayServices

#if canImport(Glibc)
    import Glibc
#endif

/// `license.exportProperties` against real files: what changes, what stays, and how it is replaced.
@Suite struct PropertiesExportTests {
    let property = "mosip.esignet.misp.license.key"

    func export(_ fixture: LicenseFixture, _ mispId: String = "misp-1", path: String? = nil) async throws -> JSONObject
    {
        var params = licenseParams(["mispId": .string(mispId)])
        if let path { params["path"] = .string(path) }
        return try #require(await fixture.service.exportProperties(params, context: fixture.context).objectValue)
    }

    func fixtureWithLicense() async throws -> (LicenseFixture, String) {
        let fixture = try await LicenseFixture.withMISP("misp-1")
        let key = try #require(try await fixture.generate("misp-1")["licenseKey"]?.stringValue)
        return (fixture, key)
    }

    func writeFile(_ path: String, _ text: String, mode: mode_t) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw TestFailure("cannot create \(path)") }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fchmod(fd, mode) == 0 else {
            throw TestFailure("cannot write \(path)")
        }
    }

    func fileInfo(_ path: String) throws -> stat {
        var info = stat()
        guard stat(path, &info) == 0 else { throw TestFailure("stat \(path) failed") }
        return info
    }

    func fileText(_ path: String) throws -> String {
        String(decoding: try FileContents.read(path), as: UTF8.self)
    }

    /// Names in `directory`, without `.` and `..`.
    func listing(_ directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    @Test func replacesOnlyThePropertyKeepingModeAndReplacingTheInode() async throws {
        let (fixture, key) = try await fixtureWithLicense()
        let path = fixture.propertiesPath
        try writeFile(path, SampleProperties.text, mode: 0o640)
        let before = try fileInfo(path)

        let result = try await export(fixture)
        #expect(
            result
                == JSONObject([
                    ("path", .string(path)), ("property", .string(property)), ("properties", [.string(property)]),
                    ("changed", true),
                ]))
        #expect(result.keys == ["path", "property", "properties", "changed"])

        let lines = try fileText(path).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var expected = SampleProperties.lines
        let at = SampleProperties.licenseLine
        expected.replaceSubrange(at...at + 2, with: ["\(property)=\(key)"])
        #expect(lines == expected + [""])
        // Line by line, so a failure names the line that moved.
        for (index, line) in SampleProperties.lines.enumerated() where !(at...at + 2).contains(index) {
            let newIndex = index < at ? index : index - 2
            #expect(lines[newIndex] == line, "line \(index + 1) changed")
        }

        let after = try fileInfo(path)
        #expect(after.st_mode & 0o7777 == 0o640)
        #expect(after.st_ino != before.st_ino, "the file must be replaced by rename, not rewritten in place")
        #expect(listing(FilePath(path).directory) == ["esignet-default.properties"], "no temporary file left")
    }

    @Test func currentValueIsNotRewritten() async throws {
        let (fixture, _) = try await fixtureWithLicense()
        let path = fixture.propertiesPath
        try writeFile(path, SampleProperties.text, mode: 0o640)
        _ = try await export(fixture)
        let first = try fileInfo(path)
        let content = try fileText(path)

        let result = try await export(fixture)
        #expect(result["changed"] == false)
        let second = try fileInfo(path)
        #expect(second.st_ino == first.st_ino)
        #expect(second.st_mtim.tv_sec == first.st_mtim.tv_sec && second.st_mtim.tv_nsec == first.st_mtim.tv_nsec)
        #expect(try fileText(path) == content)
        let journal = try fixture.rows(
            "SELECT change FROM journal WHERE method = 'license.exportProperties' ORDER BY seq")
        #expect(try journal.map { try JSONValue.parse(try $0.string("change"))["changed"] } == [true, false])
    }

    @Test func appendsTheLineWhenMissing() async throws {
        let (fixture, key) = try await fixtureWithLicense()
        let path = fixture.propertiesPath
        let original = "# eSignet\nmosip.esignet.id-token-expire-seconds=3600\n\n# end"
        try writeFile(path, original, mode: 0o644)
        #expect(try await export(fixture)["changed"] == true)
        #expect(try fileText(path) == original + "\n\(property)=\(key)\n")
        #expect(try fileInfo(path).st_mode & 0o7777 == 0o644)
    }

    /// 0640 (SPEC 7.6): eSignet's group may read it; nobody else, for it holds a secret.
    @Test func createsAMissingFileReadableOnlyByItsOwnerAndGroup() async throws {
        let (fixture, key) = try await fixtureWithLicense()
        let path = fixture.propertiesPath
        #expect(try await export(fixture)["changed"] == true)
        #expect(try fileText(path) == "\(property)=\(key)\n")
        #expect(try fileInfo(path).st_mode & 0o7777 == 0o640)
        #expect(listing(FilePath(path).directory) == ["esignet-default.properties"])
    }

    @Test func explicitPathInsideTheExportDirectoryWins() async throws {
        let (fixture, key) = try await fixtureWithLicense()
        let path = "\(fixture.directory)/esignet/other.properties"
        let result = try await export(fixture, path: path)
        #expect(result["path"] == .string(path))
        #expect(try fileText(path) == "\(property)=\(key)\n")
        #expect(listing("\(fixture.directory)/esignet") == ["other.properties"])
        // A relative path is taken inside the export directory, never the daemon's working directory.
        let relative = try await export(fixture, path: "relative.properties")
        #expect(relative["path"] == .string("\(fixture.directory)/esignet/relative.properties"))
    }

    @Test func licenseChecksComeFirstAndLeaveNoFile() async throws {
        let fixture = try LicenseFixture()
        await expectLicenseError("PMS_MSP_005", .notFound) { _ = try await export(fixture, "nobody") }
        try await fixture.addMISP("misp-1")
        await expectLicenseError("PMS_MSP_408", .notFound) { _ = try await export(fixture) }
        _ = try await fixture.generate("misp-1")
        try await fixture.sql("UPDATE licenses SET status = 'de-active'")
        await expectLicenseError("PMS_MSP_413", .refused) { _ = try await export(fixture) }
        #expect(listing("\(fixture.directory)/esignet").isEmpty)
    }

    @Test func expiredKeyIsReplacedBeforeItIsExported() async throws {
        let (fixture, old) = try await fixtureWithLicense()
        try await fixture.sql("UPDATE licenses SET expires_at_ms = 0")
        _ = try await export(fixture)
        let current = try fixture.rows("SELECT license_key FROM licenses")[0].string("license_key")
        #expect(current != old)
        #expect(try fileText(fixture.propertiesPath) == "\(property)=\(current)\n")
        let methods = try fixture.rows("SELECT method FROM journal WHERE entity_type = 'license' ORDER BY seq")
        #expect(
            try methods.map { try $0.string("method") } == [
                "license.generate", "license.exportProperties", "license.exportProperties",
            ])
    }

    @Test func unwritableConfiguredFileIsUnavailableWithoutTheKey() async throws {
        let (fixture, key) = try await fixtureWithLicense()
        #expect(rmdir("\(fixture.directory)/esignet") == 0)
        do {
            _ = try await export(fixture)
            Issue.record("export into a missing directory succeeded")
        } catch let error as GatewayError {
            #expect(error.kind == .unavailable && error.errorCode == "GW_UNAVAILABLE")
            #expect(!error.message.contains(key))
        }
        #expect(!fixture.logs.text.contains(key))
    }

    @Test func symlinkedFileIsWrittenThroughTheLink() async throws {
        let (fixture, key) = try await fixtureWithLicense()
        let real = "\(fixture.directory)/real.properties"
        try writeFile(real, "a=1\n", mode: 0o640)
        unlink(fixture.propertiesPath)
        #expect(symlink(real, fixture.propertiesPath) == 0)
        _ = try await export(fixture)
        var info = stat()
        #expect(lstat(fixture.propertiesPath, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK)
        #expect(try fileText(real) == "a=1\n\(property)=\(key)\n")
        #expect(try fileInfo(real).st_mode & 0o7777 == 0o640)
    }

    // MARK: Atomicity

    @Test func aReaderHoldingTheOldFileKeepsReadingItWhole() async throws {
        let (fixture, key) = try await fixtureWithLicense()
        let path = fixture.propertiesPath
        try writeFile(path, SampleProperties.text, mode: 0o640)
        let fd = open(path, O_RDONLY)
        #expect(fd >= 0)
        defer { close(fd) }
        _ = try await export(fixture)
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = read(fd, &buffer, buffer.count)
        #expect(String(decoding: buffer[..<max(count, 0)], as: UTF8.self) == SampleProperties.text)
        #expect(try fileText(path).contains("\(property)=\(key)"))
    }

    @Test func concurrentReadersSeeOnlyWholeVersions() throws {
        let scratch = try TemporaryDirectory(prefix: "license-atomic")
        let directory = scratch.path
        let path = "\(directory)/esignet-default.properties"
        // Two versions of very different sizes; a torn write would show a mix or a truncation.
        let small = Array("\(property)=small\n".utf8)
        let large =
            Array(String(repeating: "# filler line for size\n", count: 10_000).utf8) + Array("\(property)=large\n".utf8)
        try AtomicFileWriter.write(small, to: path)

        let stop = Atomic<Bool>(false)
        let torn = Atomic<Int>(0)
        let reads = Atomic<Int>(0)
        let reader = LicenseTestThread.start {
            while !stop.load(ordering: .acquiring) {
                let bytes: [UInt8]
                do {
                    bytes = try FileContents.read(path)
                } catch let error as FileContents.ReadError {
                    // A missing file would be a torn replace; other errors (EMFILE, EINTR while
                    // the daemon tests share this process) say nothing about atomicity.
                    if error.errno == ENOENT { torn.add(1, ordering: .relaxed) }
                    continue
                } catch {
                    continue
                }
                if bytes != small && bytes != large { torn.add(1, ordering: .relaxed) }
                reads.add(1, ordering: .relaxed)
            }
        }
        // The reader stops and is joined even when a write throws, so no thread outlives the test.
        let writes = Result {
            for round in 0..<300 {
                try AtomicFileWriter.write(round.isMultiple(of: 2) ? large : small, to: path)
            }
        }
        stop.store(true, ordering: .releasing)
        reader.join()
        try writes.get()
        #expect(reads.load(ordering: .relaxed) > 0)
        #expect(torn.load(ordering: .relaxed) == 0)
        #expect(listing(directory) == ["esignet-default.properties"])
    }
}

/// A plain POSIX thread, so a busy reader loop does not occupy Swift's small cooperative pool.
struct LicenseTestThread {
    private final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    let thread: pthread_t

    static func start(_ run: @escaping @Sendable () -> Void) -> LicenseTestThread {
        let context = Unmanaged.passRetained(Body(run)).toOpaque()
        var thread = pthread_t()
        let status = pthread_create(
            &thread, nil,
            { raw in
                Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, context)
        precondition(status == 0, "pthread_create failed")
        return LicenseTestThread(thread: thread)
    }

    func join() {
        pthread_join(thread, nil)
    }
}
