"""WTForms forms: fixed ones per module, step forms built from template data."""
