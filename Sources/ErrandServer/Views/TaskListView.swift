/// `{"tasks":[…]}`.
struct TaskListView: Encodable {
    var tasks: [TaskView]
}
