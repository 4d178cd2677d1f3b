"""The form's <select> writes its options itself (poster_app/web/widgets.py, for speed): the
HTML is WTForms' own, byte for byte, for every select of every form and for odd choices."""

from __future__ import annotations

import pytest
from markupsafe import Markup
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectChoice, widgets

from poster_app.web import forms
from poster_app.web.widgets import Select, SelectField, SelectMultipleField


def selects(form) -> list:
    return [field for field in form if isinstance(field.widget, Select)]


def as_wtforms_writes_it(field) -> str:
    return widgets.Select(multiple=field.widget.multiple)(field)


@pytest.mark.parametrize("ui", ["en", "ru", "ar"])
def test_every_select_of_every_form_is_written_as_wtforms_writes_it(app, ui):
    sent = MultiDict(
        [("lang", "ru"), ("also_lang_1", "en"), ("size", "a3"), ("family", "serif")]
        + [("phrase", "free-them-all"), ("langs", "ru"), ("langs", "ta"), ("country", "PG")]
    )
    with app.test_request_context(f"/?ui={ui}", headers={"Accept-Language": ui}):
        made = [
            forms.BannerForm(formdata=sent),
            forms.CampaignForm(formdata=sent),
            forms.ActionForm(formdata=sent),
            forms.LinkBannerForm(),
        ]
        fields = [field for form in made for field in selects(form)]
        assert len(fields) >= 12
        for field in fields:
            html = field()
            assert html == as_wtforms_writes_it(field), field.name
            assert isinstance(html, Markup)
        assert sum(str(field()).count("<option") for field in fields) > 200
        assert sum(str(field()).count("<option selected ") for field in fields) >= 6


def test_odd_choices_are_written_as_wtforms_writes_them():
    class OddForm(Form):
        one = SelectField(
            choices=[
                SelectChoice("a\"b&c<d>'e", 'x & "y" <z>'),
                SelectChoice(Markup('m"q'), Markup("<b>bold</b>")),
                SelectChoice(True, "yes"),
                SelectChoice(False, None),
                SelectChoice("", ""),
                SelectChoice("kw", "with attributes", render_kw={"disabled": True, "data_x": "1"}),
                SelectChoice("g1", "in a group", optgroup="Group & co"),
            ],
            default="kw",
        )
        many = SelectMultipleField(
            choices=[
                SelectChoice(v, label) for v, label in [("1", "one"), ("2", "two"), ("3", "3")]
            ],
            default=["1", "3"],
        )

    form = OddForm()
    for field in form:
        assert field() == as_wtforms_writes_it(field)
        assert field(class_="c", required=True) == widgets.Select(multiple=field.widget.multiple)(
            field, class_="c", required=True
        )
