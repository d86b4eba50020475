"""Question types: one module per type, each one class owning its template options, form
field, stored value, display and plain text; registry.TYPES lists them."""
