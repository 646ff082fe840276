"""User errors: one message in English and French, with the file and line, and a JSON form."""

import json

from tourgraph.errors import InputError, RemoteError, TourgraphError


def test_format_in_each_language_with_file_and_line():
    error = InputError("the date is wrong.", path="data/tour.ttl", line=12, fr="la date est fausse.")
    assert error.format() == "data/tour.ttl:12: the date is wrong."
    assert error.format("fr") == "data/tour.ttl:12: la date est fausse."
    assert str(error) == error.format("en")
    assert (error.message, error.path, error.line, error.exit_code) == ("the date is wrong.", "data/tour.ttl", 12, 2)


def test_a_message_without_french_falls_back_to_english():
    error = TourgraphError("only English.", path="tourgraph.toml")
    assert error.format("fr") == "tourgraph.toml: only English."
    assert error.format("de") == "tourgraph.toml: only English."


def test_to_dict_is_json_with_kind_and_exit_code():
    error = RemoteError("the store is down.", fr="le serveur ne répond pas.")
    data = json.loads(json.dumps(error.to_dict("fr")))
    assert data == {"error": "remote", "message": "le serveur ne répond pas.", "file": None, "line": None, "exit_code": 3}
