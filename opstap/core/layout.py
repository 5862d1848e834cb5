"""The top of every page, written in Python: the skip link, the main navigation, the language
switch and the account links.

base.html wrote this with about sixty template nodes on every page: a few hundred
microseconds, the same for every page and mostly the same text. Here the fixed texts of a
language and the links are made once per process and language, and a request only adds its
own parts: the navigation's active entry, the page's address for the language switch, the
unread count, the user and the centre. A test renders the template this replaced beside it.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language, gettext, ngettext

from .escaping import escaped
from .links import pk_url


@cache
def _texts(language: str, prefix: str, urlconf) -> dict[str, str]:
    """The fixed pieces of the top in one language (called with that language active), for
    one script prefix and URL configuration."""
    buttons = "".join(
        f"""
        <button type="submit" name="language" value="{code}" lang="{code}"
          {'aria-pressed="true" class="current"' if code == language else 'aria-pressed="false"'}
          title="{escaped(gettext(name))}">{code.upper()}</button>
      """
        for code, name in settings.LANGUAGES
    )
    return {
        "skip": escaped(gettext("Skip to content")),
        "home": pk_url("core:home"),
        "nav": escaped(gettext("Main navigation")),
        "set_language": pk_url("set_language"),
        "buttons": buttons,
        "notifications": pk_url("core:notifications"),
        "notifications_text": escaped(gettext("Notifications")),
        "profile": pk_url("accounts:profile"),
        "my_account": escaped(gettext("My account")),
        "tokens": pk_url("api_tokens:token-list"),
        "tokens_text": escaped(gettext("API tokens")),
        "logout": pk_url("accounts:logout"),
        "logout_text": escaped(gettext("Log out")),
    }


_BLANK = " " * 6  # where the template had its {% get_available_languages %} line


def _csrf_input(token: str) -> str:
    """{% csrf_token %}: nothing without a token (a page drawn with no request, the 500 page)."""
    if not token or token == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escaped(token)}">'


def page_top_html(context) -> str:
    """From <body> to </header>, as base.html wrote it, for the template context of a page."""
    request = context.get("request")
    user = context.get("user")
    token = str(context.get("csrf_token", ""))
    texts = _texts(get_language() or settings.LANGUAGE_CODE, get_script_prefix(), get_urlconf())
    signed_in = user is not None and user.is_authenticated
    out = [
        f"""<body hx-headers='{{"X-CSRFToken": "{escaped(token)}"}}'>
<a class="skip-link" href="#main">{texts["skip"]}</a>
<header class="topbar">
  <a class="brand" href="{texts["home"]}">Opstap</a>
  """
    ]
    if signed_in:
        items = "".join(
            f"""
      <li><a href="{escaped(item["url"])}"{' aria-current="page"' if item["active"] else ""}>"""
            f"""{escaped(item["label"])}</a></li>
      """
            for item in context.get("nav_items") or ()
        )
        out.append(
            f"""
  <nav aria-label="{texts["nav"]}" class="mainnav">
    <ul>
      {items}
    </ul>
  </nav>
  """
        )
    next_path = escaped(request.get_full_path()) if request is not None else ""
    out.append(
        f"""
  <div class="topbar-right">
    <form action="{texts["set_language"]}" method="post" class="langswitch">
      {_csrf_input(token)}
      <input type="hidden" name="next" value="{next_path}">
{_BLANK}
      {texts["buttons"]}
    </form>
    """
    )
    if signed_in:
        unread = context.get("unread_notifications")
        badge = ""
        if unread:
            label = ngettext("%(n)s unread", "%(n)s unread", unread) % {"n": unread}
            badge = f' <span class="badge warn" aria-label="{escaped(label)}">{unread}</span>'
        centre = context.get("centre")
        where = f" · {escaped(centre.name)}" if centre else ""
        out.append(
            f"""
    <a class="notif-link" href="{texts["notifications"]}">{texts["notifications_text"]}{badge}</a>
    <span class="whoami"><a href="{texts["profile"]}" title="{texts["my_account"]}">"""
            f"""{escaped(user)}</a>{where}</span>
    <a href="{texts["tokens"]}">{texts["tokens_text"]}</a>
    <form action="{texts["logout"]}" method="post">{_csrf_input(token)}
      <button type="submit" class="linklike">{texts["logout_text"]}</button>
    </form>
    """
        )
    out.append(
        """
  </div>
</header>"""
    )
    return "".join(out)
