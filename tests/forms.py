"""Forms posted as the page rendered them: the fields a browser would send, read from the HTML.

A dictionary built by hand posts what the test's author thinks the page has; a hidden field the page never
renders passes such a test and fails every real user. These helpers read the form from the page instead.
"""

import lxml.html


def form_fields(page_html, form_id=None):
    """What a browser would submit for the page's form: {name: [values]} (unchecked boxes, buttons and file
    inputs left out; a select without a selected option sends its first).

    form_id picks the form by its id; without it, the largest form that posts (the admin's change form, say, rather
    than the sign-out button or the language switcher)."""
    document = lxml.html.document_fromstring(page_html)
    if form_id:
        forms = document.xpath("//form[@id=$id]", id=form_id)
        assert forms, f"no form {form_id} on the page"
        form = forms[0]
    else:
        posting = [form for form in document.forms if (form.method or "").upper() == "POST"]
        assert posting, "no form on the page"
        form = max(posting, key=lambda form: len(form.inputs))
    textareas = {element.name for element in form.xpath(".//textarea")}
    data = {}
    for name, value in form.form_values():
        # A browser drops the newline that follows <textarea>.
        data.setdefault(name, []).append(value.removeprefix("\n") if name in textareas else value)
    return data


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


def submit(client, url, changes=None, form_id=None, button="_save"):
    """Open the page, change some fields as a person would, and send the form with the button `button`."""
    data = with_changes(rendered_form(client.get(url), form_id), changes or {})
    if button:
        data[button] = ["1"]
    return client.post(url, data)
