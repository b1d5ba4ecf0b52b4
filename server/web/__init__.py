"""Entry points: the JSON API, the pages, and the Socket.IO namespaces."""
