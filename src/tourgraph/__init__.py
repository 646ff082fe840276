"""tourgraph: publish a film commission's tours as a validated schema.org knowledge graph."""

__version__ = "0.1.0"
