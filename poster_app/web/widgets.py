"""WTForms' <select>, its options written directly.

The banner form has ~200 options (languages three times, phrases, sizes); WTForms writes each
option's attributes through `html_params`, whose Markup formatting was a quarter of the form
page's time. Here they are written in the same HTML: sorted by name, named as html_params
names them, escaped by markupsafe alike (tests/web/test_widgets.py compares them byte for byte).
"""

from __future__ import annotations

import wtforms
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key


def attributes(**kwargs) -> str:
    """What `wtforms.widgets.html_params(**kwargs)` writes, without its Markup formatting."""
    written = []
    for key, value in sorted(kwargs.items()):
        key = clean_key(key)
        if value is True:
            written.append(key)
        elif value is not False:
            value = escape(value)
            if '"' in value:  # only Markup can hold one: html_params writes it &quot;
                value = value.replace(Markup('"'), Markup("&quot;"))
            written.append(f'{escape(key)}="{value}"')
    return " ".join(written)


class Select(widgets.Select):
    @classmethod
    def render_option(cls, choice, **kwargs):
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        options = {"value": value, **(choice.render_kw or {}), **kwargs}
        if choice.selected:
            options["selected"] = True
        label = escape(choice.label or choice.value)
        return Markup(f"<option {attributes(**options)}>{label}</option>")


class SelectField(wtforms.SelectField):
    widget = Select()


class SelectMultipleField(wtforms.SelectMultipleField):
    widget = Select(multiple=True)
