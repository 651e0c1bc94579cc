"""Forms posted as the page rendered them: the fields a browser would send, read from the HTML.

A dictionary built by hand posts what the test's author thinks the page has; a hidden field the page never
renders passes such a test and fails every real user. These helpers read the form from the page instead.
"""

from urllib.parse import urljoin

import lxml.html


def _form(page_html, form_id=None):
    document = lxml.html.document_fromstring(page_html)
    if form_id:
        forms = document.xpath("//form[@id=$id]", id=form_id)
        assert forms, f"no form {form_id} on the page"
        return forms[0]
    posting = [form for form in document.forms if (form.method or "").upper() == "POST"]
    assert posting, "no form on the page"
    return max(posting, key=lambda form: len(form.inputs))


def form_fields(page_html, form_id=None):
    """What a browser would submit for the page's form: {name: [values]} (unchecked boxes, buttons and file
    inputs left out; a select without a selected option sends its first).

    form_id picks the form by its id; without it, the largest form that posts (the admin's change form, say, rather
    than the sign-out button or the language switcher)."""
    form = _form(page_html, form_id)
    textareas = {element.name for element in form.xpath(".//textarea")}
    data = {}
    for name, value in _values(form):
        # A browser drops the newline that follows <textarea>.
        data.setdefault(name, []).append(value.removeprefix("\n") if name in textareas else value)
    return data


def _values(form):
    """What a browser sends, in the order of the page. lxml's form_values() with one difference: a text input
    without a value attribute is sent empty, as a browser does (lxml leaves it out, which a ModelForm reads as "not
    in the form" rather than "emptied")."""
    values = []
    for element in form.inputs:
        if not element.name or "disabled" in element.attrib:
            continue
        if element.tag == "select":
            chosen = element.value if element.multiple else [element.value]
            values.extend((element.name, value) for value in chosen if value is not None)
        elif element.tag == "textarea":
            values.append((element.name, element.value))
        elif not (element.checkable and not element.checked) and element.type not in SENT_ONLY_WHEN_CLICKED:
            values.append((element.name, element.value or ""))
    return values


# Inputs a browser sends only for the button pressed, or not as a value at all.
SENT_ONLY_WHEN_CLICKED = ("submit", "image", "reset", "file", "button")


def rendered_form(response, form_id=None):
    """form_fields() of a test client's response."""
    assert response.status_code == 200, response.status_code
    return form_fields(response.content.decode(), form_id)


def with_changes(data, changes):
    """The form's data with some fields typed over: a value, a list for several, None to leave a field out."""
    data = {name: list(values) for name, values in data.items()}
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = list(value) if isinstance(value, (list, tuple)) else [value]
    return data


def submit(client, url, changes=None, form_id=None, button="_save", **request):
    """Open the page, change some fields as a person would, and send the form by pressing the button named
    `button` (None: a button without a name, or Enter), to the address the form sends to (its action, or the
    page itself). `request` goes with both requests, e.g. REMOTE_ADDR for the visitor's address."""
    page = client.get(url, **request)
    data = with_changes(rendered_form(page, form_id), changes or {})
    form = _form(page.content.decode(), form_id)
    if button:
        buttons = ".//*[((self::input and @type='submit') or (self::button and (not(@type) or @type='submit')))"
        pressed = form.xpath(buttons + " and @name=$name]", name=button)
        assert pressed, f"no button {button} in the form"
        data[button] = [pressed[0].get("value", "")]
    return client.post(urljoin(url, form.get("action") or ""), data, **request)


def offered(page_html, name, form_id=None):
    """The values a person can pick for the field `name` in the page's form: its boxes, buttons or options."""
    form = _form(page_html, form_id)
    return form.xpath(".//input[@name=$name]/@value | .//select[@name=$name]//option/@value", name=name)


def admin_action(client, changelist_url, action, objects):
    """In the admin's change list: tick these objects' boxes, choose the action and press its button."""
    page = client.get(changelist_url).content.decode()
    chosen = [str(obj.pk) for obj in objects]
    assert set(chosen) <= set(offered(page, "_selected_action", "changelist-form")), "not all listed"
    assert action in offered(page, "action", "changelist-form"), f"no action {action}"
    changes = {"action": action, "_selected_action": chosen}
    return submit(client, changelist_url, changes, form_id="changelist-form", button="index")


def chosen(page_html, changes, form_id):
    """The form's data after a person's changes: a <select> is set by the text of the option they pick (which must
    be on the page), any other field by what they type."""
    document = lxml.html.document_fromstring(page_html)
    forms = document.xpath("//form[@id=$id]", id=form_id)
    assert forms, f"no form {form_id} on the page"
    data = form_fields(page_html, form_id)
    for name, value in changes.items():
        selects = forms[0].xpath(".//select[@name=$name]", name=name)
        if selects:
            options = {option.text_content().strip(): option.get("value") for option in selects[0].xpath(".//option")}
            assert value in options, f"{value!r} is not a choice of {name}: {sorted(options)}"
            value = options[value]
        else:
            assert forms[0].xpath(".//input[@name=$name]", name=name), f"no field {name} in the form"
        data[name] = [value]
    return data


def send(client, url, changes=None, form_id="filters"):
    """Open the page, fill in its GET form as a person would (see chosen()) and send it: the filters go into the
    address of the form's action, or of the page itself when it names none, as a browser does."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    html = page.content.decode()
    form = lxml.html.document_fromstring(html).xpath("//form[@id=$id]", id=form_id)[0]
    assert (form.method or "GET").upper() == "GET"
    action = form.get("action") or url.split("?")[0]
    return client.get(action, chosen(html, changes or {}, form_id))
