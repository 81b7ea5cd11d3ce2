defmodule App.Accounts do
  def list_users, do: []

  def audit(who), do: IO.puts(who)
end
