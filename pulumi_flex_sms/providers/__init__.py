"""Dynamic providers. Their import paths are pickled into users' state: never move them."""
