"""The integration run, one module per use case: `run` (integrate, and its dry run), `resume`
(continue), `abort`, `status`; `runner` is the state machine they share, `types` their values."""
