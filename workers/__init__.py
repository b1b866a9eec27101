"""The read side's workers: projectors per read model, the outbox relay, the worker entry point."""
