"""Press contact fields, one set of rules for release files and the configuration's default contacts.

- An e-mail is one address (`press@example.org`): no name, no second address, no `?bcc=` header, nothing
  a `mailto:` link would carry besides the address. Anything else is an error.
- A phone number is read with `phonenumbers`, national numbers in the project's region (`region`, or the
  territory of the project's `lang`: fr -> FR, en -> US, pt-BR -> BR). A number it reads as valid is linked
  as `tel:` + E.164 (`tel:+33467228646`) and shown as written; any other text is shown as written, without
  a link, and `check` warns about it.
- A social address is an http(s), mailto or tel URL; a bare handle (`@presse`, `@presse@social.example`) is
  shown as text, without a link, and `check` warns about it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from babel.core import get_global

from presskit.model import Contact, Link
from presskit.text import urls


class ContactError(ValueError):
    """A contact field presskit refuses."""


_HANDLE = re.compile(r"@[\w.-]{1,64}(?:@[^\W_][\w-]*(?:\.[^\W_][\w-]*)+)?")


def email(value: str) -> str:
    """The e-mail address, if `value` is exactly one address; raise ContactError saying why otherwise."""
    address = value.strip()
    if address.lower().startswith("mailto:"):
        raise ContactError(f"'{value}' is not a single e-mail address: write the address alone, without 'mailto:'")
    if any(c in address for c in '<>"()'):
        raise ContactError(
            f"'{value}' is not a single e-mail address: write the address alone, without a name or comment"
        )
    if any(c in address for c in ",;") or any(c.isspace() for c in address) or address.count("@") > 1:
        raise ContactError(f"'{value}' is not a single e-mail address: give one address only")
    if "?" in address:
        raise ContactError(
            f"'{value}' is not a single e-mail address: '?' and what follows (mail headers such as bcc=) are not allowed"
        )
    if not urls.is_address(address):  # the grammar mailto: links are checked with too
        raise ContactError(f"'{value}' is not an e-mail address")
    return address


def default_region(lang: str) -> str:
    """The region national phone numbers are read in for a language tag: its territory (pt-BR -> BR), or the
    language's most likely territory in CLDR (fr -> FR, en -> US, ja -> JP); "" when there is none."""
    import phonenumbers  # imported when a number is read: 50 ms a check of an unchanged archive does not need

    parts = lang.replace("_", "-").split("-")
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            return part.upper() if part.upper() in phonenumbers.SUPPORTED_REGIONS else ""
    likely = get_global("likely_subtags").get(parts[0].lower(), "")
    territory = likely.split("_")[-1] if likely.count("_") >= 1 else ""
    return territory if territory in phonenumbers.SUPPORTED_REGIONS else ""


def is_region(code: str) -> bool:
    """True for a two-letter region phonenumbers knows (FR, US, JP ...)."""
    import phonenumbers  # imported when needed: see default_region

    return code.upper() in phonenumbers.SUPPORTED_REGIONS


def tel(number: str, region: str) -> str:
    """`tel:` + E.164 (with `;ext=` for an extension) of a valid phone number; "" when it is not one."""
    import phonenumbers  # imported when needed: see default_region

    try:
        parsed = phonenumbers.parse(number, region.upper() or None)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_valid_number(parsed):
        return ""
    link = "tel:" + phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return f"{link};ext={parsed.extension}" if parsed.extension and parsed.extension.isdigit() else link


def warnings(contact: Contact, region: Callable[[], str]) -> list[tuple[str, str, str]]:
    """`check`'s warnings about a valid contact, as (field, message, code): a phone number that has no tel:
    link, a bare social handle. `region` gives the project's phone region (only asked for when needed)."""
    found = []
    for name, number, link in (
        ("phone", contact.phone, contact.phone_tel),
        ("mobile", contact.mobile, contact.mobile_tel),
    ):
        if number and not link:
            code = region()
            where = f"in region {code} or " if code else ""
            found.append(
                (
                    name,
                    f"contacts.{name}: '{number}' is not a valid phone number ({where}with a +country code); "
                    "it is shown as written, without a link",
                    "phone",
                )
            )
    if contact.social is not None and not contact.social.url:
        found.append(
            (
                "social",
                f"contacts.social: '{contact.social.label}' is a handle, not an address: it is shown as text, "
                "without a link; give the profile's https:// address to link it",
                "social-handle",
            )
        )
    return found


def social(value: str) -> Link:
    """A contact's social link: Link(url, url) for an allowed URL, Link(handle, "") for a bare @handle."""
    text = value.strip()
    if _HANDLE.fullmatch(text):
        return Link(text, "")
    try:
        url = urls.check(text)
    except urls.UrlError as exc:
        raise ContactError(str(exc)) from None
    return Link(url, url)


def is_handle(value: str) -> bool:
    """True for a bare social handle (@presse, @presse@social.example)."""
    return bool(_HANDLE.fullmatch(value.strip()))


def region(config) -> str:
    """The project's phone region: its `region` setting, or the territory of its `lang`."""
    return config.region or default_region(config.lang)
