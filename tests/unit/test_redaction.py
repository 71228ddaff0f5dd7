"""Secrets out of text by rule: a URL anywhere in any text loses its password and its
key=value values (property tests over random passwords, users and surrounding text); a
station.toml loses every field marked Secret, whatever the field is called."""

import tomllib
from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel

from eyepi_gui.domain.network_cameras import text_without_passwords, without_password
from eyepi_gui.settings.values import is_secret

PRINTABLE = st.characters(min_codepoint=0x21, max_codepoint=0x7E)
PASSWORD = st.text(PRINTABLE, min_size=4, max_size=30)
USER = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz0123456789._-"), max_size=12)
AROUND = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@given(USER, PASSWORD, AROUND, AROUND)
def test_a_percent_encoded_password_in_a_url_anywhere_in_text_is_gone(
    user, password, before, after
):
    url = f"rtsp://{user}:{quote(password, safe='')}@192.0.2.5:554/live"
    shown = text_without_passwords(f"{before} {url} {after}")
    assert f":{quote(password, safe='')}@" not in shown
    assert f"rtsp://{user}:***@192.0.2.5:554/live" in shown


@given(USER, st.text(PRINTABLE.filter(lambda c: c not in "\"'<>\\"), min_size=4, max_size=30))
def test_a_password_written_raw_in_a_url_value_is_gone(user, password):
    """A whole value that is a URL (station.toml's url): everything up to the last "@" is
    its login, so "@", "/" or "?" inside the password cannot show a part of it."""
    shown = without_password(f"rtsp://{user}:{password}@192.0.2.5/live")
    assert shown == f"rtsp://{user}:***@192.0.2.5/live"


def test_query_values_and_the_fragment_go_the_user_and_keys_stay():
    url = "http://admin@192.0.2.6/cgi-bin/stream?usr=admin&pwd=s3cret;x=1#token"
    assert without_password(url) == "http://admin@192.0.2.6/cgi-bin/stream?usr=***&pwd=***;x=***"
    assert without_password("rtsp://192.0.2.7/live") == "rtsp://192.0.2.7/live"


def secret_fields(model: type[BaseModel]) -> set[str]:
    """The fields of ``model`` marked Secret."""
    return {name for name, field in model.model_fields.items() if is_secret(field.metadata)}


def test_the_network_cameras_password_is_marked_secret():
    from eyepi_gui.settings import NetworkCameraSettings

    assert secret_fields(NetworkCameraSettings) == {"password"}


def test_a_new_field_marked_secret_is_withheld_without_naming_it(monkeypatch):
    """The rule is the marker, not a list of names: a field called anything is withheld."""
    from typing import Annotated

    from pydantic import ConfigDict

    from eyepi_gui.settings import redacted
    from eyepi_gui.settings.values import Secret

    class Preview(BaseModel):
        model_config = ConfigDict(extra="forbid")
        max_fps: float = 15.0
        upload_key: Annotated[str, Secret()] = ""

    class Station(BaseModel):
        preview: Preview = Preview()

    monkeypatch.setattr(redacted, "StationSettings", Station)
    text = redacted.redacted_toml({"preview": {"max_fps": 10.0, "upload_key": "abc-123-xyz"}})
    assert tomllib.loads(text) == {"preview": {"max_fps": 10.0, "upload_key": "***"}}
