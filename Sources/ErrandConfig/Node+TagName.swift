import Yams

extension Node {
    /// The resolved tag's name (`Tag.name` is not public in Yams).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.rawValue) }
}
