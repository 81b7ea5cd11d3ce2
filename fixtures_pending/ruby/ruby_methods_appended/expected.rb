class User < ApplicationRecord
  def display_name
    name
  end

  def invoices_total
    invoices.sum(:total)
  end

  def audited?
    audit_entries.any?
  end
end
