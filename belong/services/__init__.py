"""Plain functions over domain objects; they flush, the request boundary commits."""
