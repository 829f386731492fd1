import Errand
import Hummingbird
import Logging

/// Turns every error a route throws into the API's JSON error shape: engine errors by their code,
/// Hummingbird's HTTP errors by their status, anything else as a 500 without details (logged).
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ServerContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return JSONResponse.error(error)
        } catch let error as ErrandError {
            return JSONResponse.error(APIError(error))
        } catch let error as HTTPError {
            return JSONResponse.error(Self.apiError(error, request: request))
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return JSONResponse.error(.internalError)
        }
    }

    static func apiError(_ error: HTTPError, request: Request) -> APIError {
        switch error.status {
        case .notFound:
            let allowed = OpenAPIDocument.methods(forPath: request.uri.path)
            guard !allowed.isEmpty else { return .routeNotFound(method: request.method, path: request.uri.path) }
            return .methodNotAllowed(method: request.method, path: request.uri.path, allowed: allowed)
        case .contentTooLarge:
            return .bodyTooLarge(size: nil, limit: nil)
        default:
            let code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            return APIError(status: error.status, code: code, message: error.body ?? error.status.reasonPhrase)
        }
    }
}
