struct Loader {
    func load(id: Int) -> User? { nil }

    func load(url: URL) -> User? { nil }
}
