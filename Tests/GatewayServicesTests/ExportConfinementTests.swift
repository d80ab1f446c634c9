import GatewayJSON
import GatewayStore
import Testing

@testable import GatewayServices

#if canImport(Glibc)
    import Glibc
#endif

/// SPEC 4.5: a caller's `path` for `license.exportProperties` stays inside the export directory
/// and never names the daemon's own files, a link, a device or a FIFO; every refusal is the same
/// `GW_INVALID_PATH` and changes nothing.
extension PropertiesExportTests {
    /// Exports to `path` expecting the refusal; returns its message.
    func expectRefused(_ fixture: LicenseFixture, _ path: String) async -> String? {
        do {
            _ = try await export(fixture, path: path)
            Issue.record("export to \(path) succeeded")
        } catch let error as GatewayError {
            #expect(error.errorCode == "GW_INVALID_PATH", "\(path): \(error)")
            #expect(error.kind == .invalidParams)
            return error.message
        } catch {
            Issue.record("export to \(path): \(error)")
        }
        return nil
    }

    @Test func theDaemonsOwnFilesAreRefused() async throws {
        let (fixture, _) = try await fixtureWithLicense()
        let database = "\(fixture.directory)/gateway.sqlite3"
        let before = try fileInfo(database)
        let bytes = try FileContents.read(database)
        for path in [database, database + "-wal", database + "-shm", "\(fixture.directory)/gw.sock"] {
            _ = await expectRefused(fixture, path)
        }
        #expect(try FileContents.read(database) == bytes)
        #expect(try fileInfo(database).st_ino == before.st_ino)
    }

    @Test func pathsOutsideTheDirectoryAreRefusedAlike() async throws {
        let (fixture, _) = try await fixtureWithLicense()
        let esignet = "\(fixture.directory)/esignet"
        try writeFile("\(fixture.directory)/outside.properties", "a=1\n", mode: 0o600)
        let existing = await expectRefused(fixture, "\(fixture.directory)/outside.properties")
        let missing = await expectRefused(fixture, "\(fixture.directory)/absent.properties")
        #expect(existing != nil && existing == missing, "the message must not tell whether an outside path exists")
        _ = await expectRefused(fixture, "\(esignet)/../outside.properties")
        _ = await expectRefused(fixture, "../outside.properties")
        _ = await expectRefused(fixture, "/etc/pms-gateway-export-test.properties")
        #expect(access("/etc/pms-gateway-export-test.properties", F_OK) != 0)
        #expect(try fileText("\(fixture.directory)/outside.properties") == "a=1\n")
    }

    @Test func linksDevicesFIFOsAndLargeFilesAreRefused() async throws {
        let (fixture, _) = try await fixtureWithLicense()
        let esignet = "\(fixture.directory)/esignet"
        // A link as the last component, even to a file inside; a directory link leading outside.
        try writeFile("\(esignet)/inside.properties", "a=1\n", mode: 0o600)
        #expect(symlink("\(esignet)/inside.properties", "\(esignet)/link.properties") == 0)
        _ = await expectRefused(fixture, "\(esignet)/link.properties")
        #expect(symlink(fixture.directory, "\(esignet)/up") == 0)
        try writeFile("\(fixture.directory)/victim.properties", "a=1\n", mode: 0o600)
        _ = await expectRefused(fixture, "\(esignet)/up/victim.properties")
        #expect(try fileText("\(fixture.directory)/victim.properties") == "a=1\n")
        // A hard link to the database has another name but is the database.
        #expect(link("\(fixture.directory)/gateway.sqlite3", "\(esignet)/db.properties") == 0)
        _ = await expectRefused(fixture, "\(esignet)/db.properties")
        // A FIFO would block the actor forever; a device would be read without end.
        #expect(mkfifo("\(esignet)/fifo.properties", 0o600) == 0)
        _ = await expectRefused(fixture, "\(esignet)/fifo.properties")
        _ = await expectRefused(fixture, "\(esignet)/dir.properties/")
        #expect(mkdir("\(esignet)/dir.properties", 0o700) == 0)
        _ = await expectRefused(fixture, "\(esignet)/dir.properties")
        _ = await expectRefused(fixture, "/dev/zero")
        // Over 1 MiB is not a properties file.
        try writeFile("\(esignet)/big.properties", String(repeating: "#", count: (1 << 20) + 1), mode: 0o600)
        _ = await expectRefused(fixture, "\(esignet)/big.properties")
        #expect(try fileInfo("\(esignet)/big.properties").st_size == (1 << 20) + 1)
        #expect(try fileText("\(esignet)/inside.properties") == "a=1\n")
    }

    @Test func aFileInASubdirectoryIsAllowed() async throws {
        let (fixture, key) = try await fixtureWithLicense()
        #expect(mkdir("\(fixture.directory)/esignet/conf", 0o700) == 0)
        let path = "\(fixture.directory)/esignet/conf/esignet.properties"
        _ = try await export(fixture, path: path)
        #expect(try fileText(path) == "\(property)=\(key)\n")
    }
}
