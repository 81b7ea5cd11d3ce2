defmodule App.Accounts do
  def list_users, do: []

  def export_users, do: "csv"
end
