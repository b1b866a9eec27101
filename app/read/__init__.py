"""The read side: the only code that knows Redis key names. Returns plain dataclasses."""
