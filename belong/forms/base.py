"""The base of every form: its text fields keep only what belong.text allows."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Form, PasswordField, StringField, TextAreaField

from belong.text import clean_text


def _clean_lines(value):
    return clean_text(value) if isinstance(value, str) else value


def _clean_line(value):
    return clean_text(value, single_line=True) if isinstance(value, str) else value


class _CleanTextMeta:
    """Each text field gets the cleaning filter first (passwords are kept as typed)."""

    def bind_field(self, form, unbound_field, options):
        kind = unbound_field.field_class
        if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
            clean = _clean_lines if issubclass(kind, TextAreaField) else _clean_line
            options = {**options, "filters": (clean, *unbound_field.kwargs.get("filters", ()))}
        return super().bind_field(form, unbound_field, options)


class BelongForm(FlaskForm):
    class Meta(_CleanTextMeta):
        pass


class BelongSubform(Form):
    """For FormField parts (a scale's evidence, a table row), which have their own meta."""

    class Meta(_CleanTextMeta):
        pass
