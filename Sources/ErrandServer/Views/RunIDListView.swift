/// `{"ids":[…]}`: the runs a batch trigger created.
struct RunIDListView: Encodable {
    var ids: [String]
}
