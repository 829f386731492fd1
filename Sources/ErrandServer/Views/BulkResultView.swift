/// `{"count":n,"ids":[…]}`: the runs a bulk action touched or created.
struct BulkResultView: Encodable {
    var count: Int
    var ids: [String]
}
