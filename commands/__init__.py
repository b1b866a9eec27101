"""The write side: per domain, schemas and handlers that change state and record events."""
