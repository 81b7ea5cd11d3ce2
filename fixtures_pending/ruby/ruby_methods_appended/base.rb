class User < ApplicationRecord
  def display_name
    name
  end
end
