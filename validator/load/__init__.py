"""Reading inputs: bytes -> Python data plus the positions of every node."""

from validator.load.document import Document, InputError, load_document

__all__ = ["Document", "InputError", "load_document"]
