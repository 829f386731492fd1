// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Errand",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Errand", targets: ["Errand"]),
        .library(name: "ErrandSQLite", targets: ["ErrandSQLite"]),
        .library(name: "ErrandPostgres", targets: ["ErrandPostgres"]),
        .library(name: "ErrandTesting", targets: ["ErrandTesting"]),
        .library(name: "ErrandStoreTests", targets: ["ErrandStoreTests"]),
        .library(name: "ErrandConfig", targets: ["ErrandConfig"]),
        .library(name: "ErrandServer", targets: ["ErrandServer"]),
        .executable(name: "errand", targets: ["ErrandCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(
            name: "Errand",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "ErrandSQLite",
            dependencies: [
                "Errand",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ErrandPostgres",
            dependencies: [
                "Errand",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "ErrandTesting",
            dependencies: ["Errand", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "ErrandConfig",
            dependencies: [
                "Errand",
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "ErrandServer",
            dependencies: [
                "Errand",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Dashboard")]
        ),
        .target(name: "ErrandStoreTests", dependencies: ["Errand", "ErrandTesting"]),
        .executableTarget(
            name: "ErrandCLI",
            dependencies: [
                "Errand",
                "ErrandSQLite",
                "ErrandPostgres",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                "ErrandServer",
                "ErrandConfig",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(name: "ErrandTests", dependencies: ["Errand", "ErrandTesting", "ErrandStoreTests"]),
        .testTarget(
            name: "ErrandSQLiteTests",
            dependencies: [
                "Errand", "ErrandSQLite", "ErrandStoreTests", "ErrandTesting",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ErrandPostgresTests",
            dependencies: [
                "Errand", "ErrandPostgres", "ErrandStoreTests", "ErrandTesting",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ErrandCLITests",
            dependencies: ["Errand", "ErrandSQLite", "ErrandPostgres", "ErrandConfig", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "ErrandConfigTests",
            dependencies: [
                "Errand", "ErrandConfig", "ErrandTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ErrandServerTests",
            dependencies: [
                "Errand", "ErrandServer", "ErrandSQLite", "ErrandTesting",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
