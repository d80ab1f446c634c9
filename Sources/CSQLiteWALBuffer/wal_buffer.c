#include "CSQLiteWALBuffer.h"

#include <pthread.h>
#include <sqlite3.h>
#include <string.h>

/// Large enough for the biggest group commit seen under load (about 60 frames); a commit larger
/// than this is written in several calls, still far fewer than two per frame.
enum { WAL_BUFFER_CAPACITY = 1 << 20 };

/// The most the wrapped file takes in one xWrite: the unix VFS masks a write's length to 17 bits
/// (it was written for pages of at most 64 KiB), so 128 KiB would be written as nothing.
enum { WRITE_CHUNK = 1 << 16 };

/// One open file. `real` is the wrapped VFS's file, allocated right after this struct (SQLite
/// gives xOpen szOsFile bytes). Only the write-ahead log gets a buffer; every other file passes
/// straight through.
typedef struct BufferedFile {
    sqlite3_file base;
    sqlite3_file *real;
    unsigned char *buffer;
    sqlite3_int64 start;  // the file offset of buffer[0]
    int length;           // bytes held, 0 when empty
} BufferedFile;

static sqlite3_vfs *wrapped;

static BufferedFile *buffered(sqlite3_file *file) { return (BufferedFile *)file; }

static int flush(BufferedFile *file) {
    if (file->length == 0) return SQLITE_OK;
    int length = file->length;
    // Emptied even when a write fails: SQLite fails the transaction that wrote these frames,
    // and frames past the last commit are never read.
    file->length = 0;
    for (int done = 0; done < length; done += WRITE_CHUNK) {
        int chunk = length - done < WRITE_CHUNK ? length - done : WRITE_CHUNK;
        int rc = file->real->pMethods->xWrite(file->real, file->buffer + done, chunk, file->start + done);
        if (rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

static int bufferedClose(sqlite3_file *file) {
    BufferedFile *self = buffered(file);
    int flushed = flush(self);
    int closed = self->real->pMethods->xClose(self->real);
    sqlite3_free(self->buffer);
    self->buffer = NULL;
    return flushed != SQLITE_OK ? flushed : closed;
}

static int bufferedRead(sqlite3_file *file, void *data, int amount, sqlite3_int64 offset) {
    BufferedFile *self = buffered(file);
    if (self->length > 0) {
        sqlite3_int64 end = self->start + self->length;
        if (offset >= self->start && offset + amount <= end) {
            memcpy(data, self->buffer + (offset - self->start), (size_t)amount);
            return SQLITE_OK;
        }
        if (offset < end && offset + amount > self->start) {
            int rc = flush(self);
            if (rc != SQLITE_OK) return rc;
        }
    }
    return self->real->pMethods->xRead(self->real, data, amount, offset);
}

static int bufferedWrite(sqlite3_file *file, const void *data, int amount, sqlite3_int64 offset) {
    BufferedFile *self = buffered(file);
    if (self->buffer == NULL) return self->real->pMethods->xWrite(self->real, data, amount, offset);
    // Appends to (or rewrites inside) what is held: SQLite writes a frame's header, then its page,
    // then the next frame, and rewrites a frame in place when a transaction changes its page again.
    if (self->length > 0 && offset >= self->start && offset <= self->start + self->length
        && offset + amount - self->start <= WAL_BUFFER_CAPACITY) {
        memcpy(self->buffer + (offset - self->start), data, (size_t)amount);
        if (offset + amount > self->start + self->length) self->length = (int)(offset + amount - self->start);
        return SQLITE_OK;
    }
    int rc = flush(self);
    if (rc != SQLITE_OK) return rc;
    if (amount > WRITE_CHUNK) return self->real->pMethods->xWrite(self->real, data, amount, offset);
    memcpy(self->buffer, data, (size_t)amount);
    self->start = offset;
    self->length = amount;
    return SQLITE_OK;
}

static int bufferedTruncate(sqlite3_file *file, sqlite3_int64 size) {
    BufferedFile *self = buffered(file);
    int rc = flush(self);
    return rc != SQLITE_OK ? rc : self->real->pMethods->xTruncate(self->real, size);
}

static int bufferedSync(sqlite3_file *file, int flags) {
    BufferedFile *self = buffered(file);
    int rc = flush(self);
    return rc != SQLITE_OK ? rc : self->real->pMethods->xSync(self->real, flags);
}

static int bufferedFileSize(sqlite3_file *file, sqlite3_int64 *size) {
    BufferedFile *self = buffered(file);
    int rc = flush(self);
    return rc != SQLITE_OK ? rc : self->real->pMethods->xFileSize(self->real, size);
}

static int bufferedLock(sqlite3_file *file, int lock) {
    return buffered(file)->real->pMethods->xLock(buffered(file)->real, lock);
}

static int bufferedUnlock(sqlite3_file *file, int lock) {
    return buffered(file)->real->pMethods->xUnlock(buffered(file)->real, lock);
}

static int bufferedCheckReservedLock(sqlite3_file *file, int *reserved) {
    return buffered(file)->real->pMethods->xCheckReservedLock(buffered(file)->real, reserved);
}

static int bufferedFileControl(sqlite3_file *file, int op, void *argument) {
    BufferedFile *self = buffered(file);
    // Some controls act on the file's contents or size (size hints, persist-WAL, SQLite's own
    // sync hook): the file they see must hold everything written so far.
    int rc = flush(self);
    return rc != SQLITE_OK ? rc : self->real->pMethods->xFileControl(self->real, op, argument);
}

static int bufferedSectorSize(sqlite3_file *file) {
    return buffered(file)->real->pMethods->xSectorSize(buffered(file)->real);
}

static int bufferedDeviceCharacteristics(sqlite3_file *file) {
    return buffered(file)->real->pMethods->xDeviceCharacteristics(buffered(file)->real);
}

static int bufferedShmMap(sqlite3_file *file, int page, int size, int extend, void volatile **mapped) {
    return buffered(file)->real->pMethods->xShmMap(buffered(file)->real, page, size, extend, mapped);
}

static int bufferedShmLock(sqlite3_file *file, int offset, int count, int flags) {
    return buffered(file)->real->pMethods->xShmLock(buffered(file)->real, offset, count, flags);
}

static void bufferedShmBarrier(sqlite3_file *file) {
    buffered(file)->real->pMethods->xShmBarrier(buffered(file)->real);
}

static int bufferedShmUnmap(sqlite3_file *file, int deleteFlag) {
    return buffered(file)->real->pMethods->xShmUnmap(buffered(file)->real, deleteFlag);
}

static int bufferedFetch(sqlite3_file *file, sqlite3_int64 offset, int amount, void **pointer) {
    return buffered(file)->real->pMethods->xFetch(buffered(file)->real, offset, amount, pointer);
}

static int bufferedUnfetch(sqlite3_file *file, sqlite3_int64 offset, void *pointer) {
    return buffered(file)->real->pMethods->xUnfetch(buffered(file)->real, offset, pointer);
}

static const sqlite3_io_methods bufferedMethods = {
    3,
    bufferedClose,
    bufferedRead,
    bufferedWrite,
    bufferedTruncate,
    bufferedSync,
    bufferedFileSize,
    bufferedLock,
    bufferedUnlock,
    bufferedCheckReservedLock,
    bufferedFileControl,
    bufferedSectorSize,
    bufferedDeviceCharacteristics,
    bufferedShmMap,
    bufferedShmLock,
    bufferedShmBarrier,
    bufferedShmUnmap,
    bufferedFetch,
    bufferedUnfetch,
};

static int bufferedOpen(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *outFlags) {
    (void)vfs;
    BufferedFile *self = buffered(file);
    memset(self, 0, sizeof(*self));
    self->real = (sqlite3_file *)(self + 1);
    int rc = wrapped->xOpen(wrapped, name, self->real, flags, outFlags);
    if (rc != SQLITE_OK) return rc;
    // The wrapped files forward every method above, the shared-memory and mapping ones included.
    if (self->real->pMethods == NULL || self->real->pMethods->iVersion < 3) {
        if (self->real->pMethods != NULL) self->real->pMethods->xClose(self->real);
        return SQLITE_CANTOPEN;
    }
    if (flags & SQLITE_OPEN_WAL) {
        self->buffer = sqlite3_malloc(WAL_BUFFER_CAPACITY);
        if (self->buffer == NULL) {
            self->real->pMethods->xClose(self->real);
            return SQLITE_NOMEM;
        }
    }
    self->base.pMethods = &bufferedMethods;
    return SQLITE_OK;
}

static int bufferedDelete(sqlite3_vfs *vfs, const char *name, int syncDirectory) {
    (void)vfs;
    return wrapped->xDelete(wrapped, name, syncDirectory);
}

static int bufferedAccess(sqlite3_vfs *vfs, const char *name, int flags, int *result) {
    (void)vfs;
    return wrapped->xAccess(wrapped, name, flags, result);
}

static int bufferedFullPathname(sqlite3_vfs *vfs, const char *name, int size, char *output) {
    (void)vfs;
    return wrapped->xFullPathname(wrapped, name, size, output);
}

static void *bufferedDlOpen(sqlite3_vfs *vfs, const char *name) {
    (void)vfs;
    return wrapped->xDlOpen(wrapped, name);
}

static void bufferedDlError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    wrapped->xDlError(wrapped, size, message);
}

static void (*bufferedDlSym(sqlite3_vfs *vfs, void *library, const char *symbol))(void) {
    (void)vfs;
    return wrapped->xDlSym(wrapped, library, symbol);
}

static void bufferedDlClose(sqlite3_vfs *vfs, void *library) {
    (void)vfs;
    wrapped->xDlClose(wrapped, library);
}

static int bufferedRandomness(sqlite3_vfs *vfs, int size, char *output) {
    (void)vfs;
    return wrapped->xRandomness(wrapped, size, output);
}

static int bufferedSleep(sqlite3_vfs *vfs, int microseconds) {
    (void)vfs;
    return wrapped->xSleep(wrapped, microseconds);
}

static int bufferedCurrentTime(sqlite3_vfs *vfs, double *now) {
    (void)vfs;
    return wrapped->xCurrentTime(wrapped, now);
}

static int bufferedGetLastError(sqlite3_vfs *vfs, int size, char *message) {
    (void)vfs;
    return wrapped->xGetLastError(wrapped, size, message);
}

static int bufferedCurrentTimeInt64(sqlite3_vfs *vfs, sqlite3_int64 *now) {
    (void)vfs;
    return wrapped->xCurrentTimeInt64(wrapped, now);
}

static sqlite3_vfs bufferedVFS;
static pthread_once_t registration = PTHREAD_ONCE_INIT;
static int registrationResult = SQLITE_ERROR;

static void registerOnce(void) {
    wrapped = sqlite3_vfs_find(NULL);
    if (wrapped == NULL || wrapped->iVersion < 2 || wrapped->xCurrentTimeInt64 == NULL) return;
    bufferedVFS = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(BufferedFile) + wrapped->szOsFile,
        .mxPathname = wrapped->mxPathname,
        .zName = PMSGW_WAL_BUFFER_VFS,
        .xOpen = bufferedOpen,
        .xDelete = bufferedDelete,
        .xAccess = bufferedAccess,
        .xFullPathname = bufferedFullPathname,
        .xDlOpen = bufferedDlOpen,
        .xDlError = bufferedDlError,
        .xDlSym = bufferedDlSym,
        .xDlClose = bufferedDlClose,
        .xRandomness = bufferedRandomness,
        .xSleep = bufferedSleep,
        .xCurrentTime = bufferedCurrentTime,
        .xGetLastError = bufferedGetLastError,
        .xCurrentTimeInt64 = bufferedCurrentTimeInt64,
    };
    registrationResult = sqlite3_vfs_register(&bufferedVFS, 0);
}

int pmsgw_wal_buffer_register(void) {
    pthread_once(&registration, registerOnce);
    return registrationResult;
}
