import Foundation
import Hummingbird

extension ErrandServer {
    /// `GET /` (the dashboard page) and `GET /assets/{file}` (its scripts and styles), from the
    /// module's `Dashboard` resources.
    func addDashboardRoutes(to router: Router<ServerContext>) {
        router.get("/") { _, _ in
            try DashboardAssets.response(file: "index.html", cacheControl: "no-cache")
        }
        router.get("/assets/{file}") { _, context in
            try DashboardAssets.response(file: try context.parameters.require("file"), cacheControl: "public, max-age=300")
        }
    }
}
