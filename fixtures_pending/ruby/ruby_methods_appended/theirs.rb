class User < ApplicationRecord
  def display_name
    name
  end

  def audited?
    audit_entries.any?
  end
end
