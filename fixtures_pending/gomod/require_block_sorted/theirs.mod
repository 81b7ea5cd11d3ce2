module github.com/acme/shop

go 1.22

require (
	github.com/go-chi/chi/v5 v5.0.12
	github.com/google/uuid v1.6.0
	github.com/rs/zerolog v1.32.0
)
