object Users {
  def count: Int = 0

  def export: String = "csv"
}
