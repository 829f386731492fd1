import Glibc

/// Looks up glibc functions that Swift's `Glibc` module does not import (GNU extensions such as
/// `pipe2` and `posix_spawn_file_actions_addchdir_np`, declared only under `_GNU_SOURCE`).
enum GlibcSymbol {
    /// The function named `name`, as a C function of type `T`. Stops the program when glibc lacks
    /// it: Errand needs glibc 2.29 or newer.
    static func load<T>(_ name: String, as type: T.Type = T.self) -> T {
        guard let function = loadIfPresent(name, as: type) else {
            fatalError("glibc has no \(name); Errand's command tasks need glibc 2.29 or newer")
        }
        return function
    }

    /// The function named `name`, as a C function of type `T`, or `nil` when glibc lacks it.
    static func loadIfPresent<T>(_ name: String, as type: T.Type = T.self) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, name) else { return nil }
        return unsafeBitCast(symbol, to: T.self)
    }
}
