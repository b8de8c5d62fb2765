"""Free text has a length that fits its use, enforced where it is typed (issue 12): every text field of
every form in every app is bounded (a reason or a note 300–2,000 characters, a policy's body 20,000), and
the browser shows the limit as a counter (core/ui.js reads the ``maxlength`` the field renders)."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms

import huicai
from huicai.catalogue.models import ServiceItem
from huicai.policies.models import Policy

# Text fields left without a length, each for a reason.
UNBOUNDED = {
    ("huicai.accounts.forms", "LoginForm", "password"): "a password's length is the password rules' business",
    ("huicai.talents.forms", "ActivationForm", "password1"): "checked by the password validators",
    ("huicai.talents.forms", "ActivationForm", "password2"): "checked by the password validators",
    ("huicai.talents.forms", "TalentForm", "id_number"): "an ID number is checked by its own validator",
    ("huicai.talents.forms", "TalentForm", "mobile"): "a phone number is checked by its own validator",
    ("huicai.policies.forms", "PolicySearchForm", "q"): "a long query is cut to 100 characters with a notice",
    ("huicai.policies.forms", "ManageFilterForm", "q"): "a long query is cut to 100 characters with a notice",
}


def form_classes():
    for module_info in pkgutil.iter_modules(huicai.__path__):
        try:
            module = importlib.import_module(f"huicai.{module_info.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield module.__name__, name, cls


def text_fields():
    for module, name, cls in form_classes():
        for field_name, field in cls.base_fields.items():
            if type(field) is forms.CharField:
                yield (module, name, field_name), field


def test_every_text_field_of_every_form_has_a_length_that_fits_its_use():
    unbounded = [key for key, field in text_fields() if field.max_length is None and key not in UNBOUNDED]
    too_long = [
        key
        for key, field in text_fields()
        if isinstance(field.widget, forms.Textarea)
        and field.max_length
        and not 100 <= field.max_length <= 20000
    ]

    assert len(list(text_fields())) > 90  # the survey really read the forms of every app
    assert unbounded == []
    assert too_long == []


def test_the_exemptions_are_still_there():
    """An exemption for a field that no longer exists would hide a new one of the same name."""
    present = {key for key, _field in text_fields()}
    assert set(UNBOUNDED) <= present


def test_a_textarea_renders_its_limit_for_the_counter():
    from huicai.outreach.forms import EscalateForm

    assert 'maxlength="2000"' in str(EscalateForm()["note"])


@pytest.mark.parametrize(
    "model, field, limit",
    [
        (ServiceItem, "content", 2000),
        (ServiceItem, "conditions", 2000),
        (ServiceItem, "location_and_hours", 500),
        (ServiceItem, "legal_basis", 1000),
        (Policy, "body", 20000),
    ],
)
def test_the_long_texts_of_the_catalogue_and_the_policies_are_bounded_in_the_model(model, field, limit):
    """The actions call full_clean, so the model's bound holds for the pages, the API and the admin alike."""
    model_field = model._meta.get_field(field)

    assert model_field.max_length == limit
    with pytest.raises(Exception) as error:
        model_field.run_validators("字" * (limit + 1))
    assert f"{limit}" in str(error.value)
