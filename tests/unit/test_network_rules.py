"""Network input rules: a test per class of bad input, each naming its field with a reason;
what is accepted comes back in one canonical form that the rules accept again."""

import ipaddress
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eyepi_gui.domain.network import AddressMethod, IPv4Config
from eyepi_gui.domain.network_rules import (
    check_hostname,
    check_ipv4,
    check_priority,
    check_psk,
    check_ssid,
)
from eyepi_gui.errors import InvalidInput

LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")


def refused(check, *args, **kwargs):
    with pytest.raises(InvalidInput) as caught:
        check(*args, **kwargs)
    assert caught.value.reason
    return caught.value


# --- hostname ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [("eyepi", "eyepi"), ("Field-Station-9", "field-station-9"), ("a", "a"), ("9a", "9a")],
)
def test_a_good_hostname_is_taken_in_lower_case(name, expected):
    assert check_hostname(name) == expected
    assert check_hostname("x" * 63) == "x" * 63


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("", "must not be empty"),
        ("x" * 64, "at most 63 characters (it has 64)"),
        ("field_station", '"_" is not allowed'),
        ("station!", '"!" is not allowed'),
        ("station.example.org", "without dots"),
        ("-station", "start or end with a hyphen"),
        ("station-", "start or end with a hyphen"),
        ("12345", "must contain a letter"),
        ("st\u0430tion", '"\u0430" is not a plain letter'),  # Cyrillic a
        ("\u212aelvin", '"\u212a" is not a plain letter'),  # Kelvin sign, lower() gives "k"
        ("\uff53tation", "not a plain letter"),  # fullwidth s
        ("stat\0ion", "control or invisible"),
        ("stat\u200bion", "control or invisible"),  # zero-width space
        ("station one", "must not contain spaces"),
        (" station", "must not contain spaces"),
        ("station\n", "must not contain spaces or line breaks"),
        ("station\u00a0", "must not contain spaces"),  # no-break space
        ("localhost", "every machine's name for itself"),
        ("LocalHost", "every machine's name for itself"),
        ("xn--80ak6aa92e", '"--" as its 3rd and 4th'),  # punycode: shown as Cyrillic letters
        ("XN--e1afmkfd", '"--" as its 3rd and 4th'),
        ("ab--cd", '"--" as its 3rd and 4th'),  # reserved for such encodings (RFC 5891)
    ],
)
def test_a_bad_hostname_is_refused_naming_the_field(name, says):
    error = refused(check_hostname, name)
    assert error.field == "hostname" and says in error.reason
    assert refused(check_hostname, name, field="station.hostname").field == "station.hostname"


@given(st.text(max_size=70))
def test_any_text_is_a_valid_label_or_refused_as_a_hostname(text):
    try:
        name = check_hostname(text)
    except InvalidInput as error:
        assert error.field == "hostname"
    else:
        assert LABEL.fullmatch(name) and not name.isdigit()
        assert name == text.lower()


@given(st.from_regex(r"\A[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\Z"))
def test_every_accepted_hostname_is_accepted_again_unchanged(text):
    try:
        name = check_hostname(text)
    except InvalidInput as error:
        reserved = text.lower() == "localhost" or text[2:4] == "--"
        assert reserved or (text.isdigit() and "letter" in error.reason)
    else:
        assert check_hostname(name) == name


# --- SSID -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ssid",
    ["x", "Home WiFi", " spaced ", "-a", "--help", "$(id)", "a:b\\c\"'", "x" * 32, "🌱" * 8],
)
def test_a_good_ssid_is_taken_as_its_utf8_bytes(ssid):
    assert check_ssid(ssid) == ssid.encode()


@pytest.mark.parametrize(
    ("ssid", "says"),
    [
        ("", "must not be empty"),
        ("x" * 33, "at most 32 bytes; this one has 33"),
        ("é" * 17, "this one has 34"),
        ("🌱" * 8 + "x", "this one has 33"),  # emoji: 4 bytes each
        ("home\0net", "NUL"),
        ("broken\udc80", "not valid text"),
        ("home\nnet", "control or invisible characters (U+000A)"),
        ("home\tnet", "control or invisible characters (U+0009)"),
        ("home\x7f", "control or invisible characters (U+007F)"),
        ("\u202eten-emoh", "control or invisible characters (U+202E)"),  # right-to-left
        ("home\u200bnet", "control or invisible characters (U+200B)"),  # zero-width space
        ("\ufeffhome", "control or invisible characters (U+FEFF)"),
        ("home\u2028", "control or invisible characters (U+2028)"),
    ],
)
def test_a_bad_ssid_is_refused_naming_the_field(ssid, says):
    error = refused(check_ssid, ssid)
    assert error.field == "ssid" and says in error.reason
    assert refused(check_ssid, ssid, field="hotspot_ssid").field == "hotspot_ssid"


# --- password ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "psk", ["12345678", "correct horse battery staple", "~!@#$%^&*()_+ {}|:<>?", "p" * 63]
)
def test_a_good_password_is_taken_as_is(psk):
    assert check_psk(psk) == psk


def test_a_64_digit_hex_key_is_taken():
    assert check_psk("0123456789abcdefABCDEF" + "0" * 42) == "0123456789abcdefABCDEF" + "0" * 42


@pytest.mark.parametrize(
    ("psk", "says"),
    [
        ("", "at least 8 characters"),
        ("1234567", "at least 8 characters"),
        ("g" * 64, "hexadecimal digits only"),
        ("p" * 65, "at most 63 characters"),
        ("pässwörter", "plain keyboard"),
        ("password🔑", "plain keyboard"),
        ("pass\tword", "plain keyboard"),
        ("pass\0word", "plain keyboard"),
    ],
)
def test_a_bad_password_is_refused_without_repeating_it(psk, says):
    error = refused(check_psk, psk)
    assert error.field == "password" and says in error.reason
    assert not psk or psk not in str(error)


# --- priority ---------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [(0, 0), (-999, -999), (999, 999), (" 10 ", 10)])
def test_a_good_priority_is_taken(value, expected):
    assert check_priority(value) == expected


@pytest.mark.parametrize(
    "value",
    [1000, -1000, True, 1.5, "high", "", "1e3", None, "9" * 5000, "\u0665", "1_0", "+5"],
)
def test_a_bad_priority_is_refused(value):
    error = refused(check_priority, value)
    assert error.field == "priority" and "from -999 to 999" in error.reason


# --- IPv4 -------------------------------------------------------------------------------


def static(address="192.168.1.20", prefix="24", gateway="192.168.1.1", dns=""):
    return check_ipv4("manual", address, prefix, gateway, dns)


def test_a_static_config_is_taken():
    assert static(dns="1.1.1.1, 9.9.9.9") == IPv4Config(
        AddressMethod.STATIC, "192.168.1.20/24", "192.168.1.1", ("1.1.1.1", "9.9.9.9")
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("static", "10.0.0.5/8", None, None, None),
            IPv4Config(AddressMethod.STATIC, "10.0.0.5/8"),
        ),
        (("manual", " 10.0.0.5 ", 8, " ", ()), IPv4Config(AddressMethod.STATIC, "10.0.0.5/8")),
        (("manual", "10.0.0.5", "/8", "", []), IPv4Config(AddressMethod.STATIC, "10.0.0.5/8")),
        (("manual", "192.0.2.7", 32, "", ""), IPv4Config(AddressMethod.STATIC, "192.0.2.7/32")),
        (
            ("manual", "192.0.2.6", 31, "192.0.2.7", ""),
            IPv4Config("manual", "192.0.2.6/31", "192.0.2.7"),
        ),
        (("auto", "", "", "", ""), IPv4Config(AddressMethod.DHCP)),
        (
            ("dhcp", None, None, None, "1.1.1.1 9.9.9.9"),
            IPv4Config("auto", dns=("1.1.1.1", "9.9.9.9")),
        ),
        ((AddressMethod.DHCP, "", None, "", ["9.9.9.9"]), IPv4Config("auto", dns=("9.9.9.9",))),
    ],
)
def test_the_forms_a_config_may_be_given_in(args, expected):
    assert check_ipv4(*args) == expected


@pytest.mark.parametrize(
    ("address", "says"),
    [
        ("", "required for a static address"),
        ("192.168.1", "is not an IPv4 address"),
        ("192.168.1.256", "is not an IPv4 address"),
        ("192.168.01.20", "is not an IPv4 address"),  # leading zero: octal to some tools
        ("2001:db8::1", "is not an IPv4 address"),
        ("station.local", "is not an IPv4 address"),
        ("192.168.1.0", "the address of the network 192.168.1.0/24 itself"),
        ("192.168.1.255", "the broadcast address of 192.168.1.0/24"),
        ("127.0.0.1", "loopback"),
        ("127.1.2.3", "loopback"),
        ("224.0.0.1", "multicast"),
        ("239.255.255.250", "multicast"),
        ("0.0.0.0", "not an address a machine can have"),
        ("0.1.2.3", "not an address a machine can have"),
        ("255.255.255.255", "reserved or broadcast"),
        ("240.0.0.1", "reserved or broadcast"),
        ("192.168.1.20/24", "give the prefix once"),
    ],
)
def test_a_bad_address_is_refused_naming_the_field(address, says):
    error = refused(static, address=address, gateway="")
    assert error.field == "ipv4.address" and says in error.reason
    assert set(error.problems) == {"ipv4.address"}


@pytest.mark.parametrize(
    "prefix",
    [0, 33, "0", "33", "abc", "24.0", "-8", "", None, True, "\uff12\uff14", "9" * 5000, "2_4"],
)
def test_a_bad_prefix_is_refused_naming_the_field(prefix):
    error = refused(static, prefix=prefix, gateway="")
    assert error.field == "ipv4.prefix"
    assert error.reason in (
        "must be a whole number from 1 to 32 (24 for most small networks)",
        "required for a static address",
    )


@pytest.mark.parametrize(
    ("gateway", "prefix", "says"),
    [
        ("10.0.0.1", "24", "outside the station's network 192.168.1.0/24"),
        ("192.168.2.1", "24", "use one from 192.168.1.1 to 192.168.1.254"),
        ("192.168.1.20", "24", "not the station's own"),
        ("192.168.1.0", "24", "the address of the network"),
        ("192.168.1.255", "24", "the broadcast address"),
        ("192.168.1.1", "32", "outside the station's network 192.168.1.20/32"),
        ("127.0.0.1", "24", "loopback"),
        ("router", "24", "is not an IPv4 address"),
    ],
)
def test_a_bad_gateway_is_refused_naming_the_field(gateway, prefix, says):
    error = refused(static, gateway=gateway, prefix=prefix)
    assert error.field == "ipv4.gateway" and says in error.reason


@pytest.mark.parametrize(
    ("dns", "says"),
    [
        ("1.1.1.1, 8.8.8.8, 9.9.9.9, 1.0.0.1", "at most 3 DNS servers (it lists 4)"),
        (["1.1.1.1"] * 4, "at most 3"),
        ("1.1.1.1, 1.1.1.1", "1.1.1.1 is listed twice"),
        ("dns.example.org", '"dns.example.org" is not an IP address'),
        ("1.1.1.1;8.8.8.8", "is not an IP address"),
        ("fe80::1%eth0", "is not an IP address"),
        ("0.0.0.0", "not a DNS server's address"),
        ("224.0.0.251", "not a DNS server's address"),
        ("255.255.255.255", "not a DNS server's address"),
        (["1.1.1.1, 8.8.8.8"], "is not an IP address"),  # a list holds one address per entry
        ("2606:4700:4700::1111", "is an IPv6 address"),  # NM's ipv4.dns refuses them
        ("1.1.1.1, ::ffff:8.8.8.8", "is an IPv6 address"),
    ],
)
def test_bad_dns_servers_are_refused_naming_the_field(dns, says):
    error = refused(static, dns=dns)
    assert error.field == "ipv4.dns" and says in error.reason


def test_dns_servers_are_taken_in_canonical_form():
    assert static(dns=" 1.1.1.1,, 9.9.9.9 ,").dns == ("1.1.1.1", "9.9.9.9")


@pytest.mark.parametrize("method", ["", "Static IP", "link-local", "shared", "disabled", None])
def test_a_bad_method_is_refused_naming_the_field(method):
    error = refused(check_ipv4, method, "192.168.1.20", "24", "", "")
    assert error.field == "ipv4.method" and '"auto"' in error.reason


@pytest.mark.parametrize("field", ["address", "prefix", "gateway"])
def test_dhcp_takes_no_address_prefix_or_gateway(field):
    values = {"address": "", "prefix": "", "gateway": ""} | {field: "192.168.1.1"}
    error = refused(check_ipv4, "auto", values["address"], values["prefix"], values["gateway"], "")
    assert error.field == f"ipv4.{field}" and "leave empty with DHCP" in error.reason


def test_every_bad_field_is_named_at_once_in_the_order_they_are_shown():
    error = refused(check_ipv4, "manual", "300.1.1.1", "40", "gw", "x")
    assert list(error.problems) == ["ipv4.address", "ipv4.prefix", "ipv4.gateway", "ipv4.dns"]
    assert error.field == "ipv4.address"
    error = refused(check_ipv4, "bogus", "192.168.1.0", "24", "10.0.0.1", "1 2 3 4")
    assert list(error.problems) == [
        "ipv4.method",
        "ipv4.address",
        "ipv4.gateway",
        "ipv4.dns",
    ]


def test_the_field_prefix_names_the_fields():
    error = refused(check_ipv4, "manual", "", "", "", "", field_prefix="wifi.ipv4")
    assert set(error.problems) == {"wifi.ipv4.address", "wifi.ipv4.prefix"}


@st.composite
def static_configs(draw):
    """A valid static config: a usable host address, a prefix that does not make it the
    network's own or broadcast address, maybe a gateway in that network, DNS servers."""
    address = draw(st.integers(0, 2**32 - 1).map(ipaddress.IPv4Address).filter(usable_host))
    bits = draw(st.integers(1, 32).filter(lambda b: host_of(address, b)))
    network = ipaddress.IPv4Network((address, bits), strict=False)
    gateway = None
    if bits < 32 and draw(st.booleans()):
        low, high = int(network.network_address), int(network.broadcast_address)
        if bits < 31:
            low, high = low + 1, high - 1
        others = st.integers(low, high).map(ipaddress.IPv4Address)
        gateway = draw(others.filter(lambda ip: ip != address and usable_host(ip)))
    servers = draw(st.lists(st.ip_addresses(v=4).filter(usable_server), max_size=3, unique=True))
    return address, bits, gateway, [str(s) for s in servers]


def host_of(address, bits):
    network = ipaddress.IPv4Network((address, bits), strict=False)
    return bits >= 31 or address not in (network.network_address, network.broadcast_address)


def usable_host(ip):
    return not (
        ip in ipaddress.IPv4Network("0.0.0.0/8")
        or ip.is_loopback
        or ip.is_multicast
        or ip in ipaddress.IPv4Network("240.0.0.0/4")
    )


def usable_server(ip):
    return not (ip.is_unspecified or ip.is_multicast or str(ip) == "255.255.255.255")


@given(static_configs())
def test_every_valid_static_config_is_taken_and_round_trips(config):
    address, bits, gateway, servers = config
    taken = check_ipv4("manual", str(address), bits, str(gateway or ""), ", ".join(servers))
    assert taken.address == f"{address}/{bits}"
    assert taken.gateway == (str(gateway) if gateway else None)
    assert taken.dns == tuple(str(ipaddress.ip_address(s)) for s in servers)
    again = check_ipv4(taken.method, taken.address, None, taken.gateway, taken.dns)
    assert again == taken
