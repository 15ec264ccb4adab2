"""What sites and apps that link to a page read: schema.org JSON-LD, Open Graph and Twitter cards."""

from __future__ import annotations

import json

from babel.core import get_global
from markupsafe import Markup

from presskit.site.view import ReleaseView, SiteView
from presskit.text import urls

# Characters that could end a <script> element or start markup inside it, written as JSON escapes.
_SCRIPT_SAFE = (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029"))


def logo_url(site: SiteView) -> str:
    """Absolute address of the organization's logo in the newsroom (copied to its root), or ''."""
    return urls.absolute(site.base_url, site.logo_name) if site.logo_name else ""


def og_locale(lang: str) -> str:
    """Open Graph's language_TERRITORY form: 'fr' -> 'fr_FR', 'en' -> 'en_US', 'pt-BR' -> 'pt_BR' (CLDR likely subtags)."""
    parts = lang.replace("_", "-").split("-")
    if len(parts) > 1 and len(parts[-1]) == 2:
        return f"{parts[0].lower()}_{parts[-1].upper()}"
    likely = get_global("likely_subtags").get(parts[0].lower(), "")
    region = likely.split("_")[-1] if likely.count("_") >= 1 else ""
    return f"{parts[0].lower()}_{region}" if len(region) == 2 else parts[0].lower()


def _organization(site: SiteView, with_logo: bool = False) -> dict:
    organization = {"@type": "Organization", "name": site.organization, "url": urls.absolute(site.base_url, "")}
    if with_logo and logo_url(site):
        organization["logo"] = {"@type": "ImageObject", "url": logo_url(site)}
    return organization


def _script(data: dict, indent: int | None = 1) -> Markup:
    """JSON-LD as the body of a <script type="application/ld+json">: no text can ever close it."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    for character, escape in _SCRIPT_SAFE:  # str.replace: str.translate with a table is ten times slower here
        text = text.replace(character, escape)
    return Markup(text)


def news_article(view: ReleaseView, site: SiteView) -> dict:
    """The schema.org NewsArticle of a release, as a JSON-compatible dict."""
    release = view.release
    organization = _organization(site)
    publisher = _organization(site, with_logo=True)
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": release.title,
        "description": view.summary,
        "datePublished": view.published.isoformat(),
        "dateline": view.dateline,
        "inLanguage": release.lang,
        "url": view.absolute(),
        "mainEntityOfPage": view.absolute(),
        "author": organization,
        "publisher": publisher,
    }
    if release.location:
        article["locationCreated"] = {"@type": "Place", "name": release.location}
    if release.section:
        article["articleSection"] = release.section
    if release.tags:
        article["keywords"] = list(release.tags)
    if release.photos:
        article["image"] = [
            {
                "@type": "ImageObject",
                "url": view.absolute(p.filename),
                "width": p.width,
                "height": p.height,
                "caption": p.caption or p.alt,
                **({"creditText": p.credit} if p.credit else {}),
            }
            for p in release.photos
        ]
    return article


def json_ld(view: ReleaseView, site: SiteView) -> Markup:
    """The NewsArticle as the body of a <script type="application/ld+json">: release text can never close it."""
    return _script(news_article(view, site))


def listing_json_ld(title: str, url: str, lang: str, views: list[ReleaseView], site: SiteView) -> Markup:
    """A listing page as a schema.org CollectionPage whose main entity lists the releases it shows, in order."""
    items = [
        {"@type": "ListItem", "position": number, "url": view.absolute(), "name": view.release.title}
        for number, view in enumerate(views, 1)
    ]
    page = {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": title,
        "url": url,
        "inLanguage": lang,
        "publisher": _organization(site, with_logo=True),
        "mainEntity": {"@type": "ItemList", "itemListElement": items},
    }
    return _script(
        page, indent=None
    )  # compact: listings are remade by every build, and json's C encoder needs no indent


def listing_tags(title: str, url: str, lang: str, site: SiteView) -> list[tuple[str, str, str]]:
    """(attribute, name, content) of the Open Graph and Twitter card tags of a listing page."""
    tags = [
        ("property", "og:type", "website"),
        ("property", "og:title", title),
        ("property", "og:description", site.feed_description),
        ("property", "og:url", url),
        ("property", "og:site_name", site.organization),
        ("property", "og:locale", og_locale(lang)),
    ]
    logo = logo_url(site)
    if logo:
        tags += [("property", "og:image", logo), ("property", "og:image:alt", site.organization)]
    tags += [
        ("name", "twitter:card", "summary"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", site.feed_description),
    ]
    if logo:
        tags += [("name", "twitter:image", logo), ("name", "twitter:image:alt", site.organization)]
    return tags


def social_tags(view: ReleaseView, site: SiteView) -> list[tuple[str, str, str]]:
    """(attribute, name, content) of the Open Graph and Twitter card <meta> tags; templates escape them."""
    release = view.release
    photo = release.photos[0] if release.photos else None
    tags = [
        ("property", "og:type", "article"),
        ("property", "og:title", release.title),
        ("property", "og:description", view.summary),
        ("property", "og:url", view.absolute()),
        ("property", "og:site_name", site.organization),
        ("property", "og:locale", og_locale(release.lang)),
        ("property", "article:published_time", view.published.isoformat()),
    ]
    if release.section:
        tags.append(("property", "article:section", release.section))
    tags += [("property", "article:tag", tag) for tag in release.tags]
    image, alt = (view.absolute(photo.filename), photo.alt) if photo else (logo_url(site), site.organization)
    if image:
        tags += [("property", "og:image", image), ("property", "og:image:alt", alt)]
        if photo:
            tags += [
                ("property", "og:image:width", str(photo.width)),
                ("property", "og:image:height", str(photo.height)),
            ]
    tags += [
        ("name", "twitter:card", "summary_large_image" if photo else "summary"),
        ("name", "twitter:title", release.title),
        ("name", "twitter:description", view.summary),
    ]
    if image:
        tags += [("name", "twitter:image", image), ("name", "twitter:image:alt", alt)]
    return tags
